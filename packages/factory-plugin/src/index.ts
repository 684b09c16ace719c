export { createNodes, createNodesV2, createDependencies } from './plugin';
