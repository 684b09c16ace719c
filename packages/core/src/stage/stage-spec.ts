import path from 'node:path';
import { readTextIfExists } from '../store/atomic';
import { GLOBAL_FILES, taskPaths } from '../store/paths';
import { ContractCache } from './contract-cache';
import type { InferredContract, InvalidContract } from './inferred-contract';
import type { StageRunSpec } from './spec';

/**
 * Bumped when what a parsed contract holds changes, so that cached contracts (inference's and
 * the stage runner's shared cache) are parsed again.
 */
export const CONTRACT_CACHE_VERSION = 'factory-contract-2';

/** The texts a task's contract is made of (undefined: the file does not exist). */
export interface ContractTexts {
  task?: string;
  global?: string;
  config?: string;
}

/** The contract parser: YAML and zod, a bundle of its own that loads only on a cache miss. */
export interface ContractParser {
  parseContract(globalText: string | undefined, text: string, file: string, configText?: string): InferredContract | InvalidContract;
}

/** `.factory/config.yaml` and `.factory/contract.yaml`, shared by every task. */
export function readGlobalTexts(root: string): Omit<ContractTexts, 'task'> {
  return {
    global: readTextIfExists(path.join(root, GLOBAL_FILES.contract)),
    config: readTextIfExists(path.join(root, GLOBAL_FILES.config)),
  };
}

/** The cache key of a task's parsed contract: a hash of every text it is made of. */
export function contractCacheKey(texts: ContractTexts & { task: string }): string {
  return ContractCache.key([CONTRACT_CACHE_VERSION, texts.global ?? '', texts.config ?? '', texts.task]);
}

/**
 * Nx's workspace data directory, as Nx computes it by default (`nx/src/utils/cache-directory`,
 * which costs ~100 ms to load: too much for every stage run). Should Nx ever put it elsewhere,
 * the stage runner misses the cache and parses the contract itself: slower, never wrong.
 */
export function nxWorkspaceDataDirectory(root: string, env: NodeJS.ProcessEnv, exists: (file: string) => boolean): string {
  const given = env.NX_WORKSPACE_DATA_DIRECTORY ?? env.NX_PROJECT_GRAPH_CACHE_DIRECTORY;
  if (given) return path.resolve(root, given);
  // Lerna without Nx keeps it out of sight, as Nx does.
  if (exists(path.join(root, 'lerna.json')) && !exists(path.join(root, 'nx.json')))
    return path.join(root, 'node_modules', '.cache', 'nx-workspace-data');
  return path.join(root, '.nx', 'workspace-data');
}

/**
 * A task's contract, validated: from the cache that inference fills (keyed by the contract's
 * texts, so it cannot be stale), or parsed when it is not there. An unreadable or invalid
 * contract gives the message naming file and field.
 */
export async function resolveTaskContract(
  root: string,
  slug: string,
  opts: { cacheFile?: string; parser: () => Promise<ContractParser> },
): Promise<InferredContract | InvalidContract> {
  const file = taskPaths(slug).contract;
  let texts: ContractTexts;
  try {
    texts = { ...readGlobalTexts(root), task: readTextIfExists(path.join(root, file)) };
  } catch (e) {
    return { error: `${file}: (document): could not be read: ${(e as Error).message}`, stageNames: [] };
  }
  if (texts.task === undefined)
    return { error: `${file}: (document): expected a contract file, got nothing (it does not exist)`, stageNames: [] };
  const cached = opts.cacheFile ? ContractCache.peek(opts.cacheFile, contractCacheKey({ ...texts, task: texts.task })) : undefined;
  return cached ?? (await opts.parser()).parseContract(texts.global, texts.task, file, texts.config);
}

/** What the runner runs for one stage of a valid contract; undefined when the contract has no such stage. */
export function stageSpecOf(contract: InferredContract, slug: string, stageName: string): StageRunSpec | undefined {
  const stage = contract.pipeline.find((s) => s.name === stageName);
  if (!stage) return undefined;
  // The runner needs neither the description nor the needs (Nx orders the stages).
  const { description: _d, needs: _n, ...runnable } = stage;
  const env = contract.env;
  return {
    v: 1,
    slug,
    stage: runnable,
    working_directory: contract.contract.working_directory,
    required_test_coverage: contract.contract.required_test_coverage,
    allowed_files: contract.contract.allowed_files,
    ...(env && Object.keys(env).length ? { env } : {}),
  };
}

/** What the runner does for the `pipeline` target: record a green pipeline when every required stage passed. */
export function pipelineSpecOf(contract: InferredContract, slug: string): StageRunSpec {
  return {
    v: 1,
    slug,
    working_directory: '.',
    required_test_coverage: 0,
    pipeline: { required: contract.pipeline.filter((s) => s.required_success).map((s) => s.name) },
  };
}
