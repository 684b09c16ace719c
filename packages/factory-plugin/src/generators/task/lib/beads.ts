import type { Tree } from '@nx/devkit';
import {
  BEADS_JSONL,
  FactoryError,
  beadsTaskInfo,
  createBeadsClient,
  findBeadsIssue,
  isBdAvailable,
  parseBeadsJsonl,
  requireBeadsId,
  type BeadsClient,
  type BeadsTaskInfo,
} from '@factory/core';

/**
 * The Beads issue a task starts from: `bd show <id> --json` when bd is on PATH (run in the
 * workspace root), else read-only from `.beads/issues.jsonl` in the workspace (read through
 * the Tree). Errors name the id and where it was looked for.
 */
export async function readBeadsIssue(
  tree: Tree,
  rawId: string,
  deps: { bdAvailable?: boolean; client?: Pick<BeadsClient, 'show'> } = {},
): Promise<BeadsTaskInfo> {
  const id = requireBeadsId(rawId);
  const bd = deps.bdAvailable ?? (await isBdAvailable());
  if (bd) return (deps.client ?? createBeadsClient({ cwd: tree.root, jsonlPath: BEADS_JSONL, bdAvailable: true })).show(id);
  const text = tree.read(BEADS_JSONL, 'utf-8');
  if (text === null) {
    throw new FactoryError(
      'BEADS_JSONL_MISSING',
      `--beads: cannot read Beads issue "${id}": bd is not on PATH and there is no ${BEADS_JSONL} in the workspace; install bd (https://github.com/steveyegge/beads) or export the issues there`,
      { file: BEADS_JSONL },
    );
  }
  const found = findBeadsIssue(parseBeadsJsonl(text, BEADS_JSONL), id, BEADS_JSONL);
  if (!found.ok) throw new FactoryError('BEADS_NOT_FOUND', `--beads: ${found.error}`, { file: BEADS_JSONL });
  return beadsTaskInfo(found.value, 'jsonl');
}
