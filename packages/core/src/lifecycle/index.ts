export * from './transitions';
export * from './status';
