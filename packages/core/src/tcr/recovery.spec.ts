import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';
import { FAILING_TEST, tcrRepo, type TcrRepo } from '../testing/tcr-repo';
import { GitWorktreeBackend } from '../workspace/git-backend';
import { createTaskWorkspace } from '../workspace/task-workspace';
import { runTcrCycle } from './cycle';
import { readPendingRevert, writePendingRevert } from './journal';

jest.setTimeout(60_000);
const WS = '.factory/workspaces/bd-1';

describe('runTcrCycle after a killed run', () => {
  let repo: TcrRepo;
  let backend: GitWorktreeBackend;
  const ws = () => ({ slug: 'bd-1', dir: path.join(repo.root, WS) });
  beforeEach(async () => {
    repo = tcrRepo();
    backend = new GitWorktreeBackend(repo.root);
    await createTaskWorkspace(repo.root, 'bd-1');
  });
  afterEach(() => repo.cleanup());

  function deadLock(since: Date) {
    const dir = path.join(repo.root, '.factory/bd-1/.lock');
    mkdirSync(dir, { recursive: true });
    const holder = { pid: 2 ** 22 + 4321, host: os.hostname(), command: 'tcr bd-1', since: since.toISOString() };
    writeFileSync(path.join(dir, 'run.json'), JSON.stringify({ v: 1, task: 'bd-1', kind: 'tcr', owner: 'x', holders: [holder] }));
  }

  it('clears the stale lock and the git lock files the killed run left, then runs', async () => {
    const since = new Date(Date.now() - 5000);
    deadLock(since);
    const gitDir = await backend.gitDir(ws());
    writeFileSync(path.join(gitDir, 'index.lock'), '');
    repo.write(`${WS}/src/more.js`, 'module.exports = 2;\n');
    const o = await runTcrCycle({ root: repo.root, slug: 'bd-1' });
    expect(o.result).toBe('committed');
    expect(o.recovered).toEqual([
      expect.stringMatching(/cleared the lock of a killed tcr run \(pid 4198625\)/),
      `removed the stale lock file ${path.join(gitDir, 'index.lock')}`,
    ]);
  });

  it('keeps a git lock file older than the killed run (it may be someone else’s) and reports the VCS error', async () => {
    deadLock(new Date());
    const gitDir = await backend.gitDir(ws());
    writeFileSync(path.join(gitDir, 'index.lock'), '');
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(path.join(gitDir, 'index.lock'), old, old);
    repo.write(`${WS}/src/more.js`, 'module.exports = 2;\n');
    const o = await runTcrCycle({ root: repo.root, slug: 'bd-1' });
    expect(o).toMatchObject({ result: 'vcs_error', exitCode: 4, message: expect.stringMatching(/index\.lock.*File exists/) });
  });

  it('finishes a revert that a killed run left half done, saving what the working copy held first', async () => {
    repo.write(`${WS}/src/index.js`, 'module.exports = 2;\n');
    repo.write(`${WS}/src/added.js`, 'a\n');
    repo.write(`${WS}/test/b.test.js`, FAILING_TEST);
    const head = await backend.head(ws());
    const saved = await backend.save(ws(), 'reverted', 'attempt');
    writePendingRevert(repo.root, 'bd-1', {
      v: 1,
      head,
      since: new Date().toISOString(),
      variant: 'relaxed',
      attempt: saved?.saved,
      files: saved?.files.filter((f) => !f.path.startsWith('test/')),
    });
    await backend.revert(ws(), [{ path: 'src/index.js', kind: 'modified' }]);
    deadLock(new Date());

    const o = await runTcrCycle({ root: repo.root, slug: 'bd-1' });
    expect(o.result).toBe('reverted');
    expect(o.stages).toEqual([]);
    expect(o.message).toMatch(/finished the revert of refs\/factory\/bd-1\/reverted\/2 that a killed run left half done/);
    expect(repo.gitIn(WS, 'status', '--porcelain')).toBe('?? test/b.test.js\n');
    expect(repo.git('show', 'refs/factory/bd-1/reverted/1:src/index.js')).toBe('module.exports = 2;\n');
    expect(repo.git('show', 'refs/factory/bd-1/reverted/2:src/added.js')).toBe('a\n');
    expect(readPendingRevert(repo.root, 'bd-1')).toBeUndefined();
    expect((await runTcrCycle({ root: repo.root, slug: 'bd-1' })).result).toBe('reverted');
  });

  it('finishes an interrupted revert without a second copy when nothing was reverted yet', async () => {
    repo.write(`${WS}/src/index.js`, 'module.exports = 2;\n');
    const head = await backend.head(ws());
    const saved = await backend.save(ws(), 'reverted', 'attempt');
    writePendingRevert(repo.root, 'bd-1', { v: 1, head, since: new Date().toISOString(), variant: 'relaxed', attempt: saved?.saved });
    const o = await runTcrCycle({ root: repo.root, slug: 'bd-1' });
    expect(o.attempt?.ref).toBe('refs/factory/bd-1/reverted/1');
    expect(repo.git('for-each-ref', '--format=%(refname)', 'refs/factory/').trim()).toBe('refs/factory/bd-1/reverted/1');
    expect(repo.gitIn(WS, 'status', '--porcelain')).toBe('');
  });
});
