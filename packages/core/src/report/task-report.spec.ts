import { rmSync } from 'node:fs';
import path from 'node:path';
import { makeTaskRepo, type TaskRepo } from '../testing/task-repo';
import { taskReport } from './task-report';

// A stage whose need fails is not run by Nx, so its result on disk is of the code before: found on
// spf13/pflag (a failed build left "coverage success 72.3 %" looking current) and unjs/defu.
describe('taskReport: results a later failure upstream left behind', () => {
  let repo: TaskRepo;
  beforeEach(() => {
    repo = makeTaskRepo('t-1', [
      { name: 'build', command: 'test ! -f packages/app/broken' },
      { name: 'unit', command: 'echo "3 passed"', needs: ['build'] },
      { name: 'coverage', command: 'echo "All files |   72.3 |   70 |   71 |   72.3 |"', needs: ['unit'] },
      { name: 'lint', command: 'echo clean' },
      { name: 'review', command: 'test ! -f packages/app/broken', required_success: false },
      { name: 'docs', command: 'echo documented', needs: ['review'] },
    ]);
  });
  afterEach(() => repo.cleanup());

  it('marks nothing while every stage ran on the code', async () => {
    await repo.runStages();
    const r = taskReport(repo.root, 't-1');
    expect(r.stages.map((s) => [s.name, s.status, s.not_rerun_since])).toEqual([
      ['build', 'success', undefined],
      ['unit', 'success', undefined],
      ['coverage', 'success', undefined],
      ['lint', 'success', undefined],
      ['review', 'success', undefined],
      ['docs', 'success', undefined],
    ]);
    expect(r.coverage_percent).toBe(72.3);
    expect(r.coverage_not_rerun_since).toBeUndefined();
  });

  it('marks the results of every stage that needs, directly or not, a required stage that failed after them', async () => {
    await repo.runStages();
    repo.write('packages/app/broken', 'x\n');
    // What Nx runs when build fails: build, and the stages that do not need it.
    await repo.runStages(['build', 'lint', 'review', 'docs']);
    const r = taskReport(repo.root, 't-1');
    expect(r.stages.map((s) => [s.name, s.status, s.not_rerun_since])).toEqual([
      ['build', 'failure', undefined],
      ['unit', 'success', 'build'],
      ['coverage', 'success', 'build'],
      ['lint', 'success', undefined],
      // An advisory failure exits 0: Nx runs what needs it, so nothing is left behind.
      ['review', 'failure', undefined],
      ['docs', 'success', undefined],
    ]);
    expect(r.overall_status).toBe('failure');
    expect(r.coverage_percent).toBe(72.3);
    expect(r.coverage_not_rerun_since).toBe('build');
    // Fixed and run again, the marks go.
    rmSync(path.join(repo.root, 'packages/app/broken'));
    await repo.runStages();
    const again = taskReport(repo.root, 't-1');
    expect(again.stages.every((s) => s.not_rerun_since === undefined)).toBe(true);
    expect(again.coverage_not_rerun_since).toBeUndefined();
    expect(again.overall_status).toBe('success');
  });

  it('does not mark a result that is newer than the failure (a stage run on its own afterwards)', async () => {
    await repo.runStages();
    repo.write('packages/app/broken', 'x\n');
    await repo.runStages(['build']);
    await repo.runStages(['unit']);
    const r = taskReport(repo.root, 't-1');
    expect(r.stages.map((s) => [s.name, s.not_rerun_since])).toEqual([
      ['build', undefined],
      ['unit', undefined],
      ['coverage', 'build'],
      ['lint', undefined],
      ['review', undefined],
      ['docs', undefined],
    ]);
  });
});

// helper-34 on more-itertools: `factory show` said "review success (not re-run: format failed)"
// for a review that had just run: without an `llm:` section its target waits for nothing.
describe('taskReport: a review that asks no model waits for no stage', () => {
  const reviewed = (config?: string) => {
    const repo = makeTaskRepo(
      't-1',
      [
        { name: 'build', command: 'test ! -f packages/app/broken' },
        { name: 'review', needs: ['build'] },
      ],
      config ? { config } : {},
    );
    // A review result from before the build failed.
    repo.write(
      '.factory/t-1/results/stage-review.json',
      JSON.stringify({
        stage_name: 'review',
        slug: 't-1',
        status: 'success',
        exit_code: 0,
        duration_ms: 1,
        started_at: '2026-01-01T00:00:00.000Z',
        finished_at: '2026-01-01T00:00:01.000Z',
        command: 'review',
        summary: 'reviewed',
        log_file: '.factory/t-1/results/stage-review.log',
      }),
    );
    return repo;
  };

  it('does not mark its result when build fails after it, without an llm: section', async () => {
    const repo = reviewed();
    try {
      repo.write('packages/app/broken', 'x\n');
      await repo.runStages(['build']);
      const r = taskReport(repo.root, 't-1');
      expect(r.problems).toEqual([]);
      expect(r.stages.map((s) => [s.name, s.status, s.not_rerun_since])).toEqual([
        ['build', 'failure', undefined],
        ['review', 'success', undefined],
      ]);
    } finally {
      repo.cleanup();
    }
  });

  it('marks it when an llm: section makes the review wait for the stages it needs', async () => {
    const repo = reviewed('llm:\n  provider: ollama\n');
    try {
      repo.write('packages/app/broken', 'x\n');
      await repo.runStages(['build']);
      const r = taskReport(repo.root, 't-1');
      expect(r.stages.find((s) => s.name === 'review')?.not_rerun_since).toBe('build');
    } finally {
      repo.cleanup();
    }
  });
});
