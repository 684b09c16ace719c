export * from './transitions';
export * from './status';
export * from './stage-status';
export * from './actor';
export * from './close';
export * from './beads-sync';
export * from './derived-status';
export * from './after-pipeline';
