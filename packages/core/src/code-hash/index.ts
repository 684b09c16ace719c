export * from './tree';
export * from './jj';
export * from './cache-input';
export { copyIndexWithout } from './index-copy';
