import { readFileSync } from 'node:fs';
import { jest } from '@jest/globals';
import path from 'node:path';
import { acquireTaskLock } from '../lock/run-lock';
import { FAILING_TEST, PASSING_TEST, nodeContract, tcrRepo, type TcrRepo } from '../testing/tcr-repo';
import { loadTask } from '../store/load';
import { createTaskWorkspace } from '../workspace/task-workspace';
import { runTcrCycle } from './cycle';

const WS = '.factory/workspaces/bd-1';
jest.setTimeout(60_000);

describe('runTcrCycle', () => {
  let repo: TcrRepo;
  let log: string;
  const run = (extra: Partial<Parameters<typeof runTcrCycle>[0]> = {}) =>
    runTcrCycle({ root: repo.root, slug: 'bd-1', actor: 'ann', out: (t) => (log += t), ...extra });
  const inWs = (...args: string[]) => repo.gitIn(WS, ...args);
  const audit = () =>
    readFileSync(path.join(repo.root, '.factory/bd-1/activity.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { action: string; outcome: string; details: Record<string, unknown> });

  beforeEach(async () => {
    repo = tcrRepo();
    log = '';
    await createTaskWorkspace(repo.root, 'bd-1');
  });
  afterEach(() => repo.cleanup());

  it('commits a passing change as "<slug>: …" with a Factory-Task trailer, and records the cycle', async () => {
    repo.write(`${WS}/src/more.js`, 'module.exports = 2;\n');
    repo.write(`${WS}/test/more.test.js`, PASSING_TEST);
    const o = await run();
    expect(o).toMatchObject({
      result: 'committed',
      exitCode: 0,
      files: [
        { path: 'src/more.js', kind: 'added' },
        { path: 'test/more.test.js', kind: 'added' },
      ],
    });
    expect(o.stages.map((s) => [s.name, s.status])).toEqual([
      ['implement', 'success'],
      ['unit-test', 'success'],
    ]);
    expect(inWs('log', '-1', '--format=%B')).toBe(
      'bd-1: add src/more.js, add test/more.test.js\n\nTCR: implement, unit-test passed.\n\nFactory-Task: bd-1\n\n',
    );
    expect(inWs('rev-parse', 'HEAD').trim()).toBe(o.commit);
    expect(inWs('status', '--porcelain')).toBe('');
    expect(audit().filter((e) => e.action.startsWith('tcr'))).toEqual([
      expect.objectContaining({
        action: 'tcr_committed',
        outcome: 'committed',
        details: expect.objectContaining({ commit: o.commit, files: ['A src/more.js', 'A test/more.test.js'] }),
      }),
    ]);
    // Its only stage passed: the status follows from the result (TCR writes no status).
    expect(loadTask(repo.root, 'bd-1').value?.status).toBe('ready_for_review');
    expect(JSON.parse(repo.read('.factory/bd-1/results/stage-unit-test.json'))).toMatchObject({
      status: 'success',
      code_tree: expect.any(String),
    });
  });

  it("refuses to commit on a branch other than the task's, or on a detached HEAD, saying how to switch back", async () => {
    inWs('switch', '-q', '-c', 'my-experiment');
    repo.write(`${WS}/src/more.js`, 'module.exports = 2;\n');
    expect(await run()).toMatchObject({
      result: 'vcs_error',
      exitCode: 4,
      message: `the workspace ${WS} is on branch my-experiment, not factory/bd-1, where TCR commits the task's work: switch back (git -C ${WS} switch factory/bd-1) and run again`,
    });
    expect(inWs('log', '-1', '--format=%s', 'my-experiment').trim()).not.toContain('bd-1:');
    inWs('switch', '-q', '--detach');
    expect((await run()).message).toContain('is on a detached HEAD, not factory/bd-1');
    inWs('switch', '-q', 'factory/bd-1');
    expect(await run()).toMatchObject({ result: 'committed' });
  });

  it('uses the given summary in the commit subject', async () => {
    repo.write(`${WS}/src/more.js`, 'module.exports = 2;\n');
    await run({ message: 'add more' });
    expect(inWs('log', '-1', '--format=%s').trim()).toBe('bd-1: add more');
  });

  it('reports a green run with nothing to commit as unchanged', async () => {
    expect(await run()).toMatchObject({ result: 'unchanged', exitCode: 0 });
  });

  it('relaxed: saves a failing attempt, then reverts the source and keeps the test files', async () => {
    repo.write(`${WS}/src/index.js`, 'module.exports = 2;\n');
    repo.write(`${WS}/src/extra.js`, 'module.exports = 3;\n');
    repo.remove(`${WS}/src/keep.js`);
    repo.write(`${WS}/test/b.test.js`, FAILING_TEST);
    const o = await run();
    expect(o).toMatchObject({
      result: 'reverted',
      exitCode: 1,
      variant: 'relaxed',
      attempt: { ref: 'refs/factory/bd-1/reverted/1', n: 1 },
    });
    expect(o.reverted?.sort()).toEqual(['src/extra.js', 'src/index.js', 'src/keep.js']);
    expect(o.kept).toEqual(['test/b.test.js']);
    expect(inWs('status', '--porcelain')).toBe('?? test/b.test.js\n');
    expect(repo.read(`${WS}/src/index.js`)).toBe('module.exports = 1;\n');
    expect(repo.exists(`${WS}/src/keep.js`)).toBe(true);
    expect(repo.git('show', 'refs/factory/bd-1/reverted/1:src/extra.js')).toBe('module.exports = 3;\n');
    expect(repo.git('log', '-1', '--format=%B', 'refs/factory/bd-1/reverted/1')).toMatch(
      /^bd-1: reverted attempt: .*\n\nTCR: unit-test failed: .*[\s\S]*Factory-Task: bd-1\nFactory-TCR: reverted\n/,
    );
    expect(audit().find((e) => e.action === 'tcr_reverted')).toMatchObject({
      action: 'tcr_reverted',
      outcome: 'reverted',
      details: { attempt: 'refs/factory/bd-1/reverted/1', reverted: 3, kept: 1 },
    });
  });

  it('strict: reverts the test files too, leaving the last commit', async () => {
    repo.write(`${WS}/src/index.js`, 'module.exports = 2;\n');
    repo.write(`${WS}/test/b.test.js`, FAILING_TEST);
    const o = await run({ variant: 'strict' });
    expect(o).toMatchObject({ result: 'reverted', variant: 'strict', kept: [] });
    expect(inWs('status', '--porcelain')).toBe('');
  });

  it('reports a failing build without committing or reverting anything', async () => {
    repo.write(`${WS}/src/index.js`, 'module.exports = ;\n');
    const o = await run();
    expect(o).toMatchObject({ result: 'build_failed', exitCode: 2 });
    expect(o.stages.map((s) => s.name)).toEqual(['implement']);
    expect(repo.read(`${WS}/src/index.js`)).toBe('module.exports = ;\n');
    expect(repo.git('for-each-ref', 'refs/factory/')).toBe('');
  });

  it('says when the last commit itself fails its tests and there is nothing to revert', async () => {
    repo.write(`${WS}/test/b.test.js`, FAILING_TEST);
    inWs('add', '-A');
    inWs('commit', '-qm', 'red commit');
    const o = await run();
    expect(o).toMatchObject({ result: 'reverted', exitCode: 1, files: [] });
    expect(o.message).toMatch(/nothing to revert/);
  });

  it('reports a configuration error with exit code 3: unknown test stage, no workspace, invalid contract', async () => {
    expect(await run({ stages: ['e2e'] })).toMatchObject({
      result: 'config_error',
      exitCode: 3,
      message: expect.stringMatching(/test stage "e2e" is not in the task's pipeline \(it has implement, unit-test\)/),
    });
    repo.write('.factory/bd-1/contract.yaml', 'language: typescript\nallowed_files: 3\n');
    expect((await run()).message).toMatch(/contract\.yaml: allowed_files: expected a list/);
    repo.write('.factory/bd-1/contract.yaml', nodeContract());
    repo.write('.factory/config.yaml', 'tcr:\n  variant: loose\n');
    expect((await run()).message).toMatch(/\.factory\/config\.yaml: tcr\.variant: expected one of "relaxed", "strict"/);
  });

  it('reports a busy task with exit code 5, naming the holder', async () => {
    const held = await acquireTaskLock(repo.root, 'bd-1', { kind: 'pipeline', owner: 'nx:1', command: 'nx run bd-1:stage-lint' });
    try {
      expect(await run()).toMatchObject({
        result: 'busy',
        exitCode: 5,
        message: expect.stringMatching(/busy with a pipeline run: "nx run bd-1:stage-lint" by pid \d+/),
      });
    } finally {
      await held.release();
    }
  });

  it('reads its defaults from the tcr section of config.yaml', async () => {
    repo.write('.factory/config.yaml', 'tcr:\n  variant: strict\n  stages: [unit-test]\n');
    repo.write(`${WS}/test/b.test.js`, FAILING_TEST);
    expect(await run()).toMatchObject({ result: 'reverted', variant: 'strict' });
    expect(inWs('status', '--porcelain')).toBe('');
  });
});
