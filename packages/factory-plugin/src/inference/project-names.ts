import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Lists the workspace's files matching globs, as Nx sees them (git-ignored files left out). */
export type WorkspaceGlob = (root: string, globs: string[], exclude: string[]) => Promise<string[]>;

/** Nx's own file index: the one its plugins glob with (already built in a plugin worker). */
export const nxWorkspaceGlob: WorkspaceGlob = async (root, globs, exclude) => {
  const { globWithWorkspaceContext } = (await import('nx/src/utils/workspace-context')) as {
    globWithWorkspaceContext: WorkspaceGlob;
  };
  return globWithWorkspaceContext(root, globs, exclude);
};

function nameIn(file: string): string | undefined {
  try {
    const name = (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name;
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined; // Not JSON: Nx reports the file itself.
  }
}

/**
 * The names other Nx projects of the workspace take that a task would collide with, each with
 * the project's root: a `project.json`'s name (else its `package.json`'s, else its folder's) and
 * a nested `package.json`'s name. A package.json outside the package manager's workspaces is
 * counted too: a slug that only looks taken is cheaper than a project graph Nx refuses.
 */
export async function otherProjectNames(
  root: string,
  slugs: ReadonlySet<string>,
  glob: WorkspaceGlob = nxWorkspaceGlob,
): Promise<Map<string, string>> {
  const taken = new Map<string, string>();
  if (slugs.size === 0) return taken;
  let files: string[];
  try {
    files = await glob(root, ['**/project.json', '**/package.json'], ['.factory/**', '**/node_modules/**']);
  } catch {
    return taken; // No file index here (not an Nx workspace): nothing to collide with.
  }
  const projectJsonDirs = new Set(files.filter((f) => path.posix.basename(f) === 'project.json').map((f) => path.posix.dirname(f)));
  for (const file of files) {
    const dir = path.posix.dirname(file);
    const isProjectJson = path.posix.basename(file) === 'project.json';
    // A package.json beside a project.json names the same project; the root one is the workspace's.
    if (!isProjectJson && (projectJsonDirs.has(dir) || dir === '.')) continue;
    let name = nameIn(path.join(root, file));
    if (isProjectJson && name === undefined) name = nameIn(path.join(root, dir, 'package.json')) ?? path.posix.basename(dir);
    if (name !== undefined && slugs.has(name)) taken.set(name, dir);
  }
  return taken;
}
