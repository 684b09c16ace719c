import { makeTaskRepo, type TaskRepo } from '../testing/task-repo';
import { taskReport } from './task-report';

describe('taskReport: results of older code', () => {
  let repo: TaskRepo;
  beforeAll(async () => {
    repo = makeTaskRepo('t-1', [
      { name: 'build', command: 'echo built' },
      { name: 'unit', command: 'echo "3 passed"', needs: ['build'] },
    ]);
    await repo.runStages();
  });
  afterAll(() => repo.cleanup());

  it('marks no stage while every result judged the same code', () => {
    const r = taskReport(repo.root, 't-1');
    expect(r.stages.map((s) => [s.name, s.status, s.older_code])).toEqual([
      ['build', 'success', undefined],
      ['unit', 'success', undefined],
    ]);
  });

  it('marks a result left from code that a later run no longer judged', async () => {
    // The code changes and only build runs again (as when it fails and its dependants do not run).
    repo.write('packages/app/src/index.ts', 'export const greet = (n: string) => `hi ${n}`;\n');
    await repo.runStages(['build']);
    const r = taskReport(repo.root, 't-1');
    expect(r.stages.map((s) => [s.name, s.older_code])).toEqual([
      ['build', undefined],
      ['unit', true],
    ]);
    // Each passed, but not on the same code: the pipeline has not passed as a whole.
    expect(r.overall_status).toBe('incomplete');
    // Running it again on the code now clears the mark.
    await repo.runStages(['unit']);
    const again = taskReport(repo.root, 't-1');
    expect(again.stages.every((s) => s.older_code === undefined)).toBe(true);
    expect(again.overall_status).toBe('success');
  });

  it('says when the coverage figure comes from a result of older code', async () => {
    const cov = makeTaskRepo('t-2', [
      { name: 'build', command: 'echo built' },
      { name: 'coverage', command: 'echo "All files |   72.3 |   70 |   71 |   72.3 |"', needs: ['build'] },
    ]);
    try {
      await cov.runStages();
      const before = taskReport(cov.root, 't-2');
      expect(before.coverage_percent).toBe(72.3);
      expect(before.coverage_older_code).toBeUndefined();
      cov.write('packages/app/src/index.ts', 'export const other = 1;\n');
      await cov.runStages(['build']);
      const after = taskReport(cov.root, 't-2');
      expect(after.coverage_percent).toBe(72.3);
      expect(after.coverage_older_code).toBe(true);
    } finally {
      cov.cleanup();
    }
  });
});
