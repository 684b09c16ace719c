export * from './event';
export { eventBody, auditEventProblem, isAuditEvent } from './chain';
export * from './files';
export * from './append';
export * from './verify';
export * from './verify-all';
export * from './read';
export * from './activity';
