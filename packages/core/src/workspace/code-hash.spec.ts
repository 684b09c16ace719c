import { jest } from '@jest/globals';
import path from 'node:path';
import { tcrRepo, type TcrRepo } from '../testing/tcr-repo';
import { workspaceCodeHash } from './code-hash';
import { codeFingerprint } from './fingerprint';
import { createTaskWorkspace } from './task-workspace';

jest.setTimeout(60_000);

describe('workspaceCodeHash', () => {
  let repo: TcrRepo;
  beforeEach(() => {
    repo = tcrRepo();
  });
  afterEach(() => repo.cleanup());

  it('prints none for a task without a workspace here', () => {
    expect(workspaceCodeHash(repo.root, 'bd-1')).toBe('none');
  });

  it('is codeFingerprint of the workspace, and follows an edit, a new file and a revert, not the main tree', async () => {
    await createTaskWorkspace(repo.root, 'bd-1');
    const dir = path.join(repo.root, '.factory/workspaces/bd-1');
    const clean = workspaceCodeHash(repo.root, 'bd-1');
    expect(clean).toBe(`git:${await codeFingerprint(dir)}`);
    repo.write('src/index.js', 'main tree edit\n');
    expect(workspaceCodeHash(repo.root, 'bd-1')).toBe(clean);
    repo.write('.factory/workspaces/bd-1/src/index.js', 'edit\n');
    const edited = workspaceCodeHash(repo.root, 'bd-1');
    expect(edited).not.toBe(clean);
    repo.write('.factory/workspaces/bd-1/src/new.js', 'n\n');
    expect(workspaceCodeHash(repo.root, 'bd-1')).not.toBe(edited);
    repo.write('.factory/workspaces/bd-1/src/index.js', 'module.exports = 1;\n');
    repo.remove('.factory/workspaces/bd-1/src/new.js');
    expect(workspaceCodeHash(repo.root, 'bd-1')).toBe(clean);
  });

  it('reports a task.yaml it cannot read as an error line (the stage then fails with it)', () => {
    repo.write('.factory/bd-1/task.yaml', 'slug: bd-1\nworkspace:\n  backend: svn\n  path: x\n');
    expect(workspaceCodeHash(repo.root, 'bd-1')).toBe(
      'error: .factory/bd-1/task.yaml: workspace.backend: expected "git" or "jj", got "svn"',
    );
  });
});
