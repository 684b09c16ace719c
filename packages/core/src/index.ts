/**
 * @factory/core: Factory's domain and engines. No Nx, no LLM SDKs.
 */
export * from './domain/errors';
export * from './domain/zod-problems';
export * from './domain/slug';
export * from './domain/slug-schema';
export * from './domain/language';
export * from './domain/paths';
export * from './domain/stage';
export * from './domain/contract';
export * from './domain/task';
export * from './domain/results';
export * from './pipeline/toolchains';
export * from './pipeline/standard';
export * from './pipeline/resolve';
export * from './pipeline/select';
export * from './process/run';
export * from './process/summary';
export * from './coverage/parse';
export * from './repo/glob';
export * from './store/paths';
export * from './store/atomic';
export * from './store/yaml';
export * from './store/config';
export * from './store/load';
export * from './store/results';
export * from './stage/spec';
export * from './stage/run-stage';
export * from './stage/runner-main';
export * from './report/task-report';
export * from './integrations/beads';
export * from './audit';
export * from './lifecycle';
export * from './workspace/fingerprint';
export * from './workspace';
export * from './lock';
export * from './tcr';
