import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { workspaceDataDirectory } from './workspace-data';
import { tempWorkspace } from '../testing/temp-workspace';

// Nx's own rule, resolved from this repository (a temporary workspace has no Nx installed).
const nx = createRequire(import.meta.url)('nx/src/utils/cache-directory') as {
  workspaceDataDirectoryForWorkspace: (root: string) => string;
};

describe("Nx's workspace data directory", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  // The stage runner finds inference's contract cache with its own copy of Nx's rule (loading Nx's
  // own module costs ~100 ms per stage): both must name the same directory.
  it.each([
    ['by default', {}, { 'nx.json': '{}' }],
    ['moved by NX_WORKSPACE_DATA_DIRECTORY', { NX_WORKSPACE_DATA_DIRECTORY: 'tmp/data' }, { 'nx.json': '{}' }],
    ['moved by NX_PROJECT_GRAPH_CACHE_DIRECTORY', { NX_PROJECT_GRAPH_CACHE_DIRECTORY: 'graph' }, { 'nx.json': '{}' }],
    ['in a Lerna repository without nx.json', {}, { 'lerna.json': '{}' }],
  ])("is where Nx puts it, as the runner's rule says: %s", (_what, env: Record<string, string>, files) => {
    const ws = tempWorkspace(files);
    try {
      delete process.env.NX_WORKSPACE_DATA_DIRECTORY;
      delete process.env.NX_PROJECT_GRAPH_CACHE_DIRECTORY;
      Object.assign(process.env, env);
      expect(workspaceDataDirectory(ws.root, process.env, existsSync)).toBe(nx.workspaceDataDirectoryForWorkspace(ws.root));
    } finally {
      ws.cleanup();
    }
  });
});
