import { jest } from '@jest/globals';
import path from 'node:path';
import { tcrRepo, type TcrRepo } from '../testing/tcr-repo';
import { createTaskWorkspace } from '../workspace/task-workspace';
import { judgedCodeKey } from './cache-input';
import { codeTreeId } from './tree';

jest.setTimeout(60_000);

describe('judgedCodeKey', () => {
  let repo: TcrRepo;
  beforeEach(() => {
    repo = tcrRepo();
  });
  afterEach(() => repo.cleanup());

  it('is main for a task without a workspace here, and the main tree for built-in stages', async () => {
    expect(await judgedCodeKey(repo.root, 'bd-1', 'workspace')).toBe('main');
    expect(await judgedCodeKey(repo.root, 'bd-1', 'tree')).toBe(await codeTreeId(repo.root));
  });

  it('is main while the workspace holds no work, so a checkout with it keys like a clone without it', async () => {
    await createTaskWorkspace(repo.root, 'bd-1');
    expect(await judgedCodeKey(repo.root, 'bd-1', 'workspace')).toBe('main');
    expect(await judgedCodeKey(repo.root, 'bd-1', 'tree')).toBe(await codeTreeId(repo.root));
  });

  it('follows the workspace once it has work: an edit, a new file, and back', async () => {
    await createTaskWorkspace(repo.root, 'bd-1');
    const dir = path.join(repo.root, '.factory/workspaces/bd-1');
    repo.write('.factory/workspaces/bd-1/src/index.js', 'edit\n');
    const edited = await judgedCodeKey(repo.root, 'bd-1', 'workspace');
    expect(edited).toBe(`git:${await codeTreeId(dir)}`);
    expect(await judgedCodeKey(repo.root, 'bd-1', 'tree')).toBe(await codeTreeId(dir));
    repo.write('src/index.js', 'main tree edit\n');
    expect(await judgedCodeKey(repo.root, 'bd-1', 'workspace')).toBe(edited);
    repo.write('.factory/workspaces/bd-1/src/new.js', 'n\n');
    expect(await judgedCodeKey(repo.root, 'bd-1', 'workspace')).not.toBe(edited);
  });

  it('rejects a task.yaml whose workspace it cannot read, naming the file and field', async () => {
    repo.write('.factory/bd-1/task.yaml', 'slug: bd-1\nworkspace:\n  backend: svn\n  path: x\n');
    await expect(judgedCodeKey(repo.root, 'bd-1', 'workspace')).rejects.toThrow(
      '.factory/bd-1/task.yaml: workspace.backend: expected "git" or "jj", got "svn"',
    );
  });
});
