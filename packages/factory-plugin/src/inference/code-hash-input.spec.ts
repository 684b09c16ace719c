import { execFileSync } from 'node:child_process';
import { statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { jest } from '@jest/globals';
import { judgedCodeKey } from '@factory/core';
import { gitTaskRepo, type GitTaskRepo } from '../testing/git-task-repo';
import { codeHashInput } from './code-hash-input';

jest.setTimeout(60_000);

// The script the published package ships, as inference names it.
const script = `sh '${path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/code-hash.sh')}'`;
const sh = (cwd: string, command: string) => execFileSync('sh', ['-c', command], { cwd, encoding: 'utf8' });

describe('codeHashInput and bin/code-hash.sh', () => {
  let repo: GitTaskRepo;
  let base: string;
  const ws = { backend: 'git' as const, path: '.factory/workspaces/bd-1' };
  const run = (mode: 'workspace' | 'tree') =>
    sh(repo.root, (codeHashInput(script, mode, 'bd-1', { workspace: ws, base }) as { runtime: string }).runtime);
  /** The script and core's reference implementation print the same value. */
  const agree = async (mode: 'workspace' | 'tree') => {
    const printed = run(mode);
    expect(printed).toBe(`${await judgedCodeKey(repo.root, 'bd-1', mode)}\n`);
    return printed;
  };
  beforeEach(() => {
    repo = gitTaskRepo();
    base = repo.git('rev-parse', 'HEAD').trim();
    repo.write('.factory/bd-1/task.yaml', `slug: bd-1\ntitle: t\nbase_commit: ${base}\nworkspace:\n  backend: git\n  path: ${ws.path}\n`);
  });
  afterEach(() => repo.cleanup());

  it('prints main while the workspace is absent or holds no work, and the same tree as core for built-in stages', async () => {
    expect(await agree('workspace')).toBe('main\n');
    const mainTree = await agree('tree');
    expect(mainTree).toMatch(/^[0-9a-f]{40}\n$/);
    repo.git('worktree', 'add', '-q', '-b', 'factory/bd-1', ws.path);
    expect(await agree('workspace')).toBe('main\n');
    expect(await agree('tree')).toBe(mainTree);
  });

  it('follows the workspace once it has work: an edit, a new file, a racily-clean change; not the main tree', async () => {
    repo.git('worktree', 'add', '-q', '-b', 'factory/bd-1', ws.path);
    repo.write(`${ws.path}/src/index.js`, 'module.exports = 2;\n');
    const edited = await agree('workspace');
    expect(edited).toMatch(/^git:[0-9a-f]{40}\n$/);
    expect(repo.gitIn(ws.path, 'status', '--porcelain')).toBe(' M src/index.js\n');
    repo.write(`${ws.path}/new.js`, 'n\n');
    const withNew = await agree('workspace');
    expect(withNew).not.toBe(edited);
    repo.write('src/index.js', 'main tree only\n');
    expect(await agree('workspace')).toBe(withNew);
    await agree('tree');
    // Same size, right after git wrote the index: only git's racy-clean check sees it.
    repo.gitIn(ws.path, 'add', '-A');
    const staged = run('workspace');
    repo.write(`${ws.path}/new.js`, 'm\n');
    expect(run('workspace')).not.toBe(staged);
  });

  it("refreshes a racily clean index's file times (as git status does), leaving its content and the key alone", async () => {
    // As in a fresh clone: the files and the index written in the same instant, so git must read
    // every file again to know it is unchanged, on every call, until the index is written again.
    const index = path.join(repo.root, '.git/index');
    const then = new Date(Date.now() - 60_000);
    for (const f of ['src/index.js', 'test/a.test.js', 'nx.json', '.gitignore']) utimesSync(path.join(repo.root, f), then, then);
    utimesSync(index, then, then);
    const staged = repo.git('ls-files', '-s');
    const tree = await agree('tree');
    expect(statSync(index).mtimeMs).toBeGreaterThan(then.getTime() + 1000);
    expect(repo.git('ls-files', '-s')).toBe(staged);
    expect(await agree('tree')).toBe(tree);
  });

  it('counts a commit beyond the base as work', async () => {
    repo.git('worktree', 'add', '-q', '-b', 'factory/bd-1', ws.path);
    repo.write(`${ws.path}/src/index.js`, 'module.exports = 3;\n');
    repo.gitIn(ws.path, 'commit', '-qam', 'work');
    expect(await agree('workspace')).toMatch(/^git:/);
  });

  it('quotes the path, leaves tasks without a workspace without a workspace input', () => {
    expect(codeHashInput('sh h.sh', 'workspace', 'bd-1', {})).toBeUndefined();
    expect(codeHashInput('sh h.sh', 'tree', 'bd-1', {})).toEqual({ runtime: 'sh h.sh tree bd-1 - - -' });
    expect(codeHashInput('sh h.sh', 'workspace', 'bd-1', { workspace: { backend: 'git', path: "it's" }, base: 'abc1234' })).toEqual({
      runtime: `sh h.sh workspace bd-1 git 'it'\\''s' abc1234`,
    });
    expect(sh(repo.root, `${script} workspace bd-1 git 'it'\\''s gone' -`)).toBe('main\n');
  });
});
