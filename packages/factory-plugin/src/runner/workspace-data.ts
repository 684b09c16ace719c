import path from 'node:path';

/**
 * Where Nx keeps its workspace data (the project graph cache and plugins' own caches), as Nx
 * computes it (`workspaceDataDirectoryForWorkspace` in nx/src/utils/cache-directory): the
 * environment's choice, else `node_modules/.cache/nx-workspace-data` in a Lerna repository
 * without nx.json, else `.nx/workspace-data`. Computed here rather than asked of Nx because the
 * stage runner must not load Nx; should Nx move it, the contract cache is only missed, never wrong.
 * The one place Factory says where that is: inference and the stage runner both call it.
 */
export function workspaceDataDirectory(root: string, env: NodeJS.ProcessEnv, exists: (file: string) => boolean): string {
  const given = env.NX_WORKSPACE_DATA_DIRECTORY ?? env.NX_PROJECT_GRAPH_CACHE_DIRECTORY;
  if (given) return path.resolve(root, given);
  if (exists(path.join(root, 'lerna.json')) && !exists(path.join(root, 'nx.json')))
    return path.join(root, 'node_modules', '.cache', 'nx-workspace-data');
  return path.join(root, '.nx', 'workspace-data');
}
