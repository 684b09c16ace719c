export * from './transitions';
export * from './status';
export * from './status-light';
export * from './stage-status';
export * from './actor';
export * from './close';
export * from './beads-sync';
