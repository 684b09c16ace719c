import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The one place Factory reaches into Nx beyond `@nx/devkit`'s types. Inference loads nothing
 * of `@nx/devkit` at run time: requiring it costs about a second of module loading in every
 * plugin worker (measured), while the module below is already loaded there by Nx itself.
 * If Nx moves it, only this file changes, and the fallback is Nx's documented default.
 */
export function workspaceDataDirectory(workspaceRoot: string): string {
  try {
    const req = createRequire(path.join(workspaceRoot, 'package.json'));
    const mod = req('nx/src/utils/cache-directory') as { workspaceDataDirectoryForWorkspace?: (root: string) => string };
    if (mod.workspaceDataDirectoryForWorkspace) return mod.workspaceDataDirectoryForWorkspace(workspaceRoot);
  } catch {
    // Nx not resolvable from the workspace root: use its default location.
  }
  return path.join(workspaceRoot, '.nx', 'workspace-data');
}
