export * from './judge';
export * from './task-fingerprint';
export * from './approve';
