import type { WorkspacePointer } from '@factory/core';

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** What of the task's record the code-hash input needs: where its workspace is, and its base commit. */
export interface TaskWhereabouts {
  workspace?: WorkspacePointer;
  base?: string;
}

/**
 * A `runtime` cache input standing for the judged code (see core's code-hash/cache-input.ts):
 * `workspace` for stages that hash the allowed files themselves (only tasks that record a
 * workspace need it: it prints `main` while the stages judge the main tree), `tree` for
 * built-in stages, which judge every changed file. Nx runs it from the workspace root; `script`
 * is the plugin's `bin/code-hash.sh` (plain git, see that script). The slug is a validated
 * name; the path and base are quoted.
 */
export function codeHashInput(
  script: string,
  mode: 'workspace' | 'tree',
  slug: string,
  where: TaskWhereabouts,
): { runtime: string } | undefined {
  if (mode === 'workspace' && !where.workspace) return undefined;
  const ws = where.workspace;
  const args = [mode, slug, ws ? ws.backend : '-', ws ? quote(ws.path) : '-', where.base ?? '-'];
  return { runtime: `${script} ${args.join(' ')}` };
}

/**
 * A task.yaml without `base_commit` (this repository's example, a task written by hand) has its
 * change judged against HEAD (core's stage/command-stage.ts, stage/early-changes.ts), which no file
 * input covers: committing the change, or `git reset --soft` to an older commit, keeps every file
 * as it was but changes what the contract, security, lint and format stages judge. This input
 * puts the commit in their key (the same in every clone of that commit; `none` before the first).
 */
export const HEAD_INPUT = { runtime: 'git rev-parse -q --verify HEAD || echo none' } as const;
