import path from 'node:path';
import { GLOBAL_FILES, readDocumentIfExists, taskPaths } from '@factory/core';
import { ContractCache } from './contract-cache';
import type { InferredContract, InvalidContract } from './inferred-contract';

/**
 * Bumped when what a parsed contract holds changes, so that cached contracts (inference's and
 * the stage runner's shared cache) are parsed again.
 */
export const CONTRACT_CACHE_VERSION = 'factory-contract-4';

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
    global: readDocumentIfExists(path.join(root, GLOBAL_FILES.contract), GLOBAL_FILES.contract),
    config: readDocumentIfExists(path.join(root, GLOBAL_FILES.config), GLOBAL_FILES.config),
  };
}

/** The cache key of a task's parsed contract: a hash of every text it is made of. */
export function contractCacheKey(texts: ContractTexts & { task: string }): string {
  return ContractCache.key([CONTRACT_CACHE_VERSION, texts.global ?? '', texts.config ?? '', texts.task]);
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
    texts = { ...readGlobalTexts(root), task: readDocumentIfExists(path.join(root, file), file) };
  } catch (e) {
    const message = (e as Error).message;
    return { error: message.startsWith('.factory/') ? message : `${file}: (document): could not be read: ${message}`, stageNames: [] };
  }
  if (texts.task === undefined)
    return { error: `${file}: (document): expected a contract file, got nothing (it does not exist)`, stageNames: [] };
  const cached = opts.cacheFile ? ContractCache.peek(opts.cacheFile, contractCacheKey({ ...texts, task: texts.task })) : undefined;
  return cached ?? (await opts.parser()).parseContract(texts.global, texts.task, file, texts.config);
}
