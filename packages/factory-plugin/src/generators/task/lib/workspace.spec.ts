import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { jest } from '@jest/globals';
import { logger } from '@nx/devkit';
import { tempWorkspace } from '../../../testing/temp-workspace';
import { workspaceCallback } from './workspace';

jest.setTimeout(60_000);

function repo(files: Record<string, string>) {
  const ws = tempWorkspace({ '.gitignore': '.factory/workspaces/\n', ...files });
  const git = (...a: string[]) =>
    execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...a], { cwd: ws.root, encoding: 'utf8' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'init');
  return ws;
}

describe('workspaceCallback', () => {
  it('creates the task workspace and records it', async () => {
    const ws = repo({ '.factory/bd-1/task.yaml': 'slug: bd-1\ntitle: t\ncreated_at: 2026-01-01T00:00:00.000Z\n' });
    try {
      await workspaceCallback(ws.root, 'bd-1')();
      expect(existsSync(path.join(ws.root, '.factory/workspaces/bd-1/.git'))).toBe(true);
      expect(readFileSync(path.join(ws.root, '.factory/bd-1/task.yaml'), 'utf8')).toContain('branch: factory/bd-1');
    } finally {
      ws.cleanup();
    }
  });

  it('warns with the command that retries when the workspace cannot be made, keeping the task', async () => {
    const ws = repo({
      '.factory/bd-1/task.yaml': 'slug: bd-1\ntitle: t\ncreated_at: 2026-01-01T00:00:00.000Z\n',
      '.factory/config.yaml': 'workspace:\n  directory: work\n',
    });
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    try {
      await workspaceCallback(ws.root, 'bd-1')();
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/not ignored by git[\s\S]*Create it with: factory workspace create bd-1/));
    } finally {
      warn.mockRestore();
      ws.cleanup();
    }
  });

  it('does nothing when workspace.backend is none', async () => {
    const ws = repo({
      '.factory/bd-1/task.yaml': 'slug: bd-1\ntitle: t\ncreated_at: 2026-01-01T00:00:00.000Z\n',
      '.factory/config.yaml': 'workspace:\n  backend: none\n',
    });
    try {
      await workspaceCallback(ws.root, 'bd-1')();
      expect(existsSync(path.join(ws.root, '.factory/workspaces'))).toBe(false);
    } finally {
      ws.cleanup();
    }
  });
});
