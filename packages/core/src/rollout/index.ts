export * from './config';
export * from './load-config';
export * from './flagd';
export * from './state';
export * from './health';
export * from './metrics';
export * from './rollout';
