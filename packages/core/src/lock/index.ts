export * from './run-lock';
export { lockDir, lockRecordText } from './record';
export * from './process-info';
