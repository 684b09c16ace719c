import { existingTaskWorkspace, workspaceHasWork } from '../workspace/code-root';
import { jjContentHash } from './jj';
import { codeTreeId } from './tree';

/**
 * What a stage's `runtime` cache input stands for, beyond the files Nx hashes itself:
 * - `workspace`: the task's workspace when the stages judge it (it has work), else `main`, so a
 *   checkout with an idle workspace, one without it and a CI clone key the same code alike;
 * - `tree`: the tree id of the judged code, for built-in stages whose answer depends on every
 *   changed file (contract, security).
 * The plugin's `bin/code-hash.sh` prints the same values with plain git for a git worktree (a
 * test keeps the two equal); this is the reference, and what a jj workspace is hashed with.
 */
export type CacheInputMode = 'workspace' | 'tree';

export async function judgedCodeKey(root: string, slug: string, mode: CacheInputMode): Promise<string> {
  const ws = existingTaskWorkspace(root, slug);
  const judged = ws && workspaceHasWork(root, slug, ws) ? ws : undefined;
  if (mode === 'workspace' && !judged) return 'main';
  if (judged?.backend === 'jj') return `jj:${await jjContentHash(judged.dir)}`;
  const tree = await codeTreeId(judged?.dir ?? root);
  return mode === 'workspace' ? `git:${tree}` : tree;
}
