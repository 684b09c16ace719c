import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { FactoryError } from '../domain/errors';
import { findRepoRoot } from '../repo/root';
import type { BackendKind, WorkspaceBackend } from './backend';
import type { CommandRunner } from './command-runner';
import { GitWorktreeBackend } from './git-backend';
import { JjWorkspaceBackend } from './jj-backend';

export type BackendSetting = 'auto' | 'git' | 'jj' | 'none';

/** Whether an executable named `name` is on PATH (no process is started). */
export function onPath(name: string, envPath: string | undefined = process.env.PATH): boolean {
  for (const dir of (envPath ?? '').split(path.delimiter)) {
    if (!dir) continue;
    try {
      accessSync(path.join(dir, name), constants.X_OK);
      return true;
    } catch {
      // Not here.
    }
  }
  return false;
}

/**
 * Which backend makes workspaces: the configured one, or with `auto` jj when the repository is
 * a jj repository (a `.jj` directory at its root) and `jj` is on PATH, else git.
 */
export function chooseBackend(root: string, setting: BackendSetting, hasJj: () => boolean = () => onPath('jj')): BackendKind | 'none' {
  if (setting !== 'auto') return setting;
  const repo = findRepoRoot(root);
  if (repo.vcs === 'jj' && hasJj()) return 'jj';
  if (!repo.hasGit) {
    throw new FactoryError(
      'CONFIG',
      `${repo.root} is a jj repository without git, and jj is not on PATH; install jj, or set workspace.backend in .factory/config.yaml`,
      { file: '.factory/config.yaml', field: 'workspace.backend' },
    );
  }
  return 'git';
}

export function backendFor(kind: BackendKind, root: string, runner?: CommandRunner): WorkspaceBackend {
  return kind === 'jj' ? new JjWorkspaceBackend(root, runner) : new GitWorktreeBackend(root);
}
