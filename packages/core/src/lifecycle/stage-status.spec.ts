import { pathTo, statusAfterGreenPipeline, statusAfterStage } from './stage-status';

const run = (status: 'success' | 'failure', advisory = false, stage = 'unit-test') => ({
  stage,
  status,
  advisory,
  summary: '3 tests failed (5 passed)\nmore',
});

describe('statusAfterStage', () => {
  it('starts the work on the first stage run', () => {
    for (const s of ['created', 'ready', 'reverted'] as const)
      expect(statusAfterStage({ status: s }, run('success'))).toEqual([{ to: 'in_progress' }]);
    expect(statusAfterStage({ status: 'in_progress' }, run('success'))).toEqual([]);
  });

  it('fails the task on a required failure, with the stage and its root cause, going through in_progress when needed', () => {
    expect(statusAfterStage({ status: 'in_progress' }, run('failure'))).toEqual([
      { to: 'failed', reason: 'stage unit-test failed: 3 tests failed (5 passed)' },
    ]);
    expect(statusAfterStage({ status: 'reverted' }, run('failure'))).toEqual([
      { to: 'in_progress' },
      { to: 'failed', reason: 'stage unit-test failed: 3 tests failed (5 passed)' },
    ]);
    expect(statusAfterStage({ status: 'ready_for_review' }, run('failure'))[0].to).toBe('failed');
  });

  it('ignores an advisory failure', () => {
    expect(statusAfterStage({ status: 'in_progress' }, run('failure', true))).toEqual([]);
  });

  it('leaves a failed task failed until the stage that failed passes', () => {
    const failed = { status: 'failed' as const, reason: 'stage unit-test failed: x' };
    expect(statusAfterStage(failed, run('success', false, 'lint'))).toEqual([]);
    expect(statusAfterStage(failed, run('success'))).toEqual([{ to: 'in_progress' }]);
  });

  it('changes nothing once the task is being rolled out or done', () => {
    for (const s of ['deploying', 'deployed_to_staging', 'deployed_to_production', 'done'] as const) {
      expect(statusAfterStage({ status: s }, run('failure'))).toEqual([]);
    }
  });
});

describe('statusAfterGreenPipeline', () => {
  it('moves working tasks to ready_for_review', () => {
    expect(statusAfterGreenPipeline('in_progress')).toEqual([{ to: 'ready_for_review' }]);
    expect(statusAfterGreenPipeline('failed')).toEqual([{ to: 'in_progress' }, { to: 'ready_for_review' }]);
    expect(statusAfterGreenPipeline('created')).toEqual([{ to: 'in_progress' }, { to: 'ready_for_review' }]);
    expect(statusAfterGreenPipeline('review_approved')).toEqual([]);
    expect(statusAfterGreenPipeline('deployed_to_staging')).toEqual([]);
  });
});

describe('pathTo', () => {
  it('is empty when no legal path exists', () => {
    expect(pathTo('done', 'in_progress')).toEqual([]);
  });
});
