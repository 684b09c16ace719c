import type { CreateDependencies, CreateNodes } from '@nx/devkit';
import { existsSync } from 'node:fs';
import { CONTRACT_GLOB, inferTaskProjects } from './inference/create-nodes';
import { taskDependencies } from './inference/dependencies';
import { contractCachePath } from './runner/contract-cache';
import { workspaceDataDirectory } from './runner/workspace-data';

/** One Nx project per `.factory/<slug>/contract.yaml`; its pipeline stages are its targets. */
export const createNodes: CreateNodes = [
  CONTRACT_GLOB,
  (files, _options, context) =>
    inferTaskProjects(files, context, {
      cacheFile: contractCachePath(workspaceDataDirectory(context.workspaceRoot, process.env, existsSync)),
    }),
];

/** @deprecated Nx 23 reads `createNodes`; kept for tools that still look for the old name. */
export const createNodesV2 = createNodes;

export const createDependencies: CreateDependencies = (_options, context) => taskDependencies(context);
