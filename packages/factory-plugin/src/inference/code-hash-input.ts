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
