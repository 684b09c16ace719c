import type { StageView } from '@factory/core';
import { checkName, checkRunFor } from './check-runs';

const stage = (over: Partial<StageView>): StageView => ({
  name: 'unit-test',
  required: true,
  needs: [],
  status: 'success',
  verdict: 'pass',
  duration_ms: 1500,
  started_at: '2026-01-01T12:00:00.000Z',
  finished_at: '2026-01-01T12:00:01.500Z',
  summary: '5 passed',
  metrics: {},
  ...over,
});

describe('checkRunFor', () => {
  it('publishes a passing stage as a completed success with its cause as the summary', () => {
    const r = checkRunFor('bd-1', stage({}));
    expect(r).toMatchObject({
      name: checkName('unit-test'),
      external_id: 'bd-1:unit-test',
      status: 'completed',
      conclusion: 'success',
      started_at: '2026-01-01T12:00:00.000Z',
      completed_at: '2026-01-01T12:00:01.500Z',
      output: { title: 'pass: 5 passed', summary: '```text\n5 passed\n```' },
    });
  });

  it('maps each verdict to the conclusion GitHub understands', () => {
    expect(checkRunFor('bd-1', stage({ status: 'failure', verdict: 'fail' })).conclusion).toBe('failure');
    expect(checkRunFor('bd-1', stage({ status: 'failure', verdict: 'advisory', required: false })).conclusion).toBe('neutral');
    expect(checkRunFor('bd-1', stage({ status: 'skipped', verdict: 'skipped' })).conclusion).toBe('skipped');
  });

  it('leaves a stage without a result queued, never passed', () => {
    const r = checkRunFor('bd-1', stage({ status: 'not_run', verdict: 'not_run', summary: undefined }));
    expect(r.status).toBe('queued');
    expect(r.conclusion).toBeUndefined();
    expect(r.output.summary).toContain('nx run bd-1:stage-unit-test');
  });

  it('annotates findings that have a file and a line, and says what came from the cache', () => {
    const r = checkRunFor(
      'bd-1',
      stage({
        status: 'failure',
        verdict: 'fail',
        cached: true,
        tests: { passed: 4, failed: 1, skipped: 0 },
        findings: [
          { rule: 'secret', file: 'src/a.ts', line: 3, message: 'src/a.ts:3: an AWS key' },
          { rule: 'allowed_files', file: 'README.md', message: 'README.md: not allowed' },
        ],
      }),
    );
    expect(r.output.annotations).toEqual([
      { path: 'src/a.ts', start_line: 3, end_line: 3, annotation_level: 'failure', message: 'src/a.ts:3: an AWS key', title: 'secret' },
    ]);
    expect(r.output.text).toContain('restored from the Nx cache');
    expect(r.output.text).toContain('Tests: 4 passed, 1 failed, 0 skipped.');
  });
});
