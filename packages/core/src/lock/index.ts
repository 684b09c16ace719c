export * from './run-lock';
export * from './process-info';
