export * from './tree';
export * from './jj';
export * from './cache-input';
