import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CreateNodesContext, CreateNodesResult } from '@nx/devkit';
import {
  FACTORY_DIR,
  GLOBAL_FILES,
  contractFromTexts,
  formatProblem,
  parseYaml,
  readTextIfExists,
  readWorkspacePointer,
  validateSlug,
  type LoadedContract,
} from '@factory/core';
import { ContractCache } from './contract-cache';
import { pluginBinCommand, stageRunnerCommand } from './runner-path';
import { buildTaskProject } from './targets';
import { workspaceHashCommand } from './workspace-input';

/** Task contracts: exactly one level under `.factory/` (never inside a task workspace). */
export const CONTRACT_GLOB = `${FACTORY_DIR}/*/contract.yaml`;

/** Bumped when inference output changes shape, so cached contracts are re-read. */
const INFERENCE_VERSION = 'factory-inference-1';

export interface InferenceEnv {
  /** Where the parsed-contract cache lives (Nx's workspace data directory); undefined: no cache. */
  cacheFile?: string;
  /** The command that runs the stage runner (default: resolved from the workspace's node_modules). */
  runner?: string;
  /** The bundled command that prints a jj workspace's content hash, before the slug (default: like runner). */
  codeHash?: string;
}

/**
 * Infers one Nx project per task contract. Never throws for one bad file: a contract that
 * cannot be read or validated still yields its task's project, whose stage targets fail
 * with the validation message, so `nx show projects` and every other task keep working.
 */
export function inferTaskProjects(
  files: readonly string[],
  context: Pick<CreateNodesContext, 'workspaceRoot'>,
  env: InferenceEnv = {},
): Array<readonly [string, CreateNodesResult]> {
  const root = context.workspaceRoot;
  const globalText = readTextIfExists(path.join(root, GLOBAL_FILES.contract));
  const runner = env.runner ?? stageRunnerCommand(root);
  const codeHash = env.codeHash ?? pluginBinCommand(root, 'code-hash');
  const cache = env.cacheFile ? new ContractCache(env.cacheFile) : undefined;
  const out: Array<readonly [string, CreateNodesResult]> = [];

  for (const file of files) {
    const projectRoot = path.posix.dirname(file.split(path.sep).join('/'));
    const slug = path.posix.basename(projectRoot);
    if (!validateSlug(slug).ok) continue; // `.factory/workspaces`, or a folder that cannot be a task name.
    let contract: LoadedContract | { error: string; stageNames: string[] };
    try {
      const text = readFileSync(path.join(root, file), 'utf8');
      const key = ContractCache.key([INFERENCE_VERSION, globalText ?? '', text]);
      const cached = cache?.get(key);
      if (cached) contract = cached;
      else {
        const v = contractFromTexts({ global: globalText, task: text }, { global: GLOBAL_FILES.contract, task: file });
        if (v.value) {
          contract = v.value;
          cache?.set(key, v.value);
        } else contract = { error: v.errors.map(formatProblem).join('\n'), stageNames: stageNamesOf(text, file) };
      }
    } catch (e) {
      contract = { error: `${file}: (document): could not be read: ${(e as Error).message}`, stageNames: [] };
    }
    // The task's workspace, as task.yaml records it (a small file beside the contract; the
    // workspace itself is not looked at here).
    let pointer;
    try {
      pointer = readWorkspacePointer(readTextIfExists(path.join(root, projectRoot, 'task.yaml')) ?? '').pointer;
    } catch {
      // Unreadable: no workspace input; the stage itself reports the file when it runs.
    }
    const workspaceInput = workspaceHashCommand(pointer, slug, codeHash);
    out.push([file, { projects: { [projectRoot]: buildTaskProject({ slug, projectRoot, contract, runner, codeHash: workspaceInput }) } }]);
  }
  cache?.save();
  return out;
}

/** Best effort: the stage names an invalid contract mentions, so their targets exist and fail clearly. */
function stageNamesOf(text: string, file: string): string[] {
  const { data } = parseYaml(text, file);
  if (!data || typeof data !== 'object') return [];
  const d = data as { pipeline?: unknown; stages?: unknown };
  const names: string[] = [];
  if (Array.isArray(d.pipeline)) {
    for (const s of d.pipeline) if (s && typeof s === 'object' && typeof (s as { name?: unknown }).name === 'string') names.push((s as { name: string }).name);
  }
  if (d.stages && typeof d.stages === 'object') names.push(...Object.keys(d.stages));
  return names.filter((n) => /^[a-z][a-z0-9-]{1,39}$/.test(n));
}
