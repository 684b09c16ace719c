export * from './judge';
export * from './approve';
