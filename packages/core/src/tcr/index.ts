export * from './attempts';
export * from './cycle';
export * from './loop';
export * from './message';
export * from './outcome';
export * from './settings';
export * from './stages';
export * from './watch';
