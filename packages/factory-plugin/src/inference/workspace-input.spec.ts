import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { jest } from '@jest/globals';
import { gitTaskRepo } from '../testing/git-task-repo';
import { workspaceHashCommand } from './workspace-input';

jest.setTimeout(60_000);

describe('workspaceHashCommand', () => {
  const sh = (cwd: string, command: string) => execFileSync('sh', ['-c', command], { cwd, encoding: 'utf8' });
  // The script the published package ships (bin/worktree-hash.sh), as inference names it.
  const script = `sh '${path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/worktree-hash.sh')}'`;

  it('prints the tree of the worktree: unchanged is the same, an edit, a new file or a racily-clean change is not', () => {
    const repo = gitTaskRepo();
    try {
      repo.git('worktree', 'add', '-q', '-b', 'factory/bd-1', '.factory/workspaces/bd-1');
      const cmd = workspaceHashCommand({ backend: 'git', path: '.factory/workspaces/bd-1' }, 'bd-1', script) as string;
      expect(cmd).toBe(`${script} '.factory/workspaces/bd-1'`);
      const clean = sh(repo.root, cmd);
      expect(clean).toMatch(/^[0-9a-f]{40}\n$/);
      expect(sh(repo.root, cmd)).toBe(clean);
      expect(repo.gitIn('.factory/workspaces/bd-1', 'status', '--porcelain')).toBe('');
      repo.write('.factory/workspaces/bd-1/src/index.js', 'module.exports = 2;\n');
      const edited = sh(repo.root, cmd);
      expect(edited).not.toBe(clean);
      repo.write('.factory/workspaces/bd-1/new.js', 'n\n');
      const withNew = sh(repo.root, cmd);
      expect(withNew).not.toBe(edited);
      repo.write('src/index.js', 'main tree only\n');
      expect(sh(repo.root, cmd)).toBe(withNew);
      // Same size, right after git wrote the index: only git's racy-clean check sees it.
      repo.gitIn('.factory/workspaces/bd-1', 'add', '-A');
      const staged = sh(repo.root, cmd);
      repo.write('.factory/workspaces/bd-1/new.js', 'm\n');
      expect(sh(repo.root, cmd)).not.toBe(staged);
    } finally {
      repo.cleanup();
    }
  });

  it('prints none when the directory is not there, and quotes the path', () => {
    const repo = gitTaskRepo();
    try {
      expect(sh(repo.root, workspaceHashCommand({ backend: 'git', path: "it's gone" }, 'bd-1', script) as string)).toBe('none\n');
    } finally {
      repo.cleanup();
    }
  });

  it('leaves jj workspaces to the bundled command, and tasks without a workspace without an input', () => {
    expect(workspaceHashCommand({ backend: 'jj', path: 'x' }, 'bd-1', 'node h.cjs')).toBe('node h.cjs bd-1');
    expect(workspaceHashCommand(undefined, 'bd-1', 'node h.cjs')).toBeUndefined();
  });
});
