export * from './event';
export * from './append';
