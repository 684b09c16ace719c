import type { StageResult } from '../domain/results';
import type { Stage } from '../domain/stage';
import { judgeEvidence } from './judge';

const stage = (name: string, required_success = true): Stage => ({
  name,
  description: name,
  command: 'true',
  timeout_seconds: 60,
  required_success,
  needs: [],
});
const result = (name: string, status: StageResult['status'], code_tree = 'tree-1'): StageResult => ({
  stage_name: name,
  slug: 't-1',
  status,
  advisory: false,
  exit_code: status === 'skipped' ? null : 0,
  timed_out: false,
  duration_ms: 1,
  started_at: '2026-12-03T10:00:00.000Z',
  finished_at: '2026-12-03T10:00:01.000Z',
  command: 'true',
  summary: status === 'skipped' ? 'not configured: no linter in this project' : 'ok',
  metrics: {},
  code_tree,
  log_file: `.factory/t-1/results/stage-${name}.log`,
});

describe('judgeEvidence', () => {
  const pipeline = [stage('unit-test'), stage('lint')];

  it('accepts a required stage skipped for a tool the project lacks, as the pipeline does', () => {
    const results = new Map([
      ['unit-test', result('unit-test', 'success')],
      ['lint', result('lint', 'skipped')],
    ]);
    const judged = judgeEvidence(pipeline, 0, results, 'tree-1');
    expect(judged.refusals).toEqual([]);
    expect(judged.stages.map((s) => [s.stage, s.status, s.fresh])).toEqual([
      ['unit-test', 'success', true],
      ['lint', 'skipped', true],
    ]);
  });

  it('refuses a skipped stage made on other code, as stale', () => {
    const results = new Map([
      ['unit-test', result('unit-test', 'success')],
      ['lint', result('lint', 'skipped', 'tree-0')],
    ]);
    expect(judgeEvidence(pipeline, 0, results, 'tree-1').refusals).toEqual([
      {
        code: 'STALE',
        message: "stage-lint was skipped at 2026-12-03T10:00:01.000Z, but the task's code has changed since (stale evidence)",
      },
    ]);
  });

  it('refuses a failed or missing required stage', () => {
    const results = new Map([['unit-test', { ...result('unit-test', 'failure'), summary: '1 test failed' }]]);
    expect(judgeEvidence(pipeline, 0, results, 'tree-1').refusals).toEqual([
      { code: 'FAILED', message: 'stage-unit-test failed: 1 test failed' },
      { code: 'NOT_RUN', message: 'stage-lint has no result' },
    ]);
  });
});
