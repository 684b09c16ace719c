import { logger, type GeneratorCallback } from '@nx/devkit';
import { createTaskWorkspace, readFactoryConfig } from '@factory/core';

/**
 * Creates the task's workspace once its files are on disk. A failure does not undo the task:
 * it is reported with the command that retries it.
 */
export function workspaceCallback(root: string, slug: string): GeneratorCallback {
  return async () => {
    try {
      if (readFactoryConfig(root).workspace.backend === 'none') return;
      const ws = await createTaskWorkspace(root, slug);
      const where = ws.branch ? ` on branch ${ws.branch}` : '';
      logger.info(`Workspace of ${slug}: ${ws.path}${where} (from ${ws.base.slice(0, 12)}). TCR: nx run ${slug}:tcr`);
    } catch (e) {
      logger.warn(
        `The task ${slug} was created, but not its workspace: ${(e as Error).message}\nCreate it with: factory workspace create ${slug}`,
      );
    }
  };
}
