import { deriveStatus, type ResultState } from './derived-status';

const ok: ResultState = { status: 'success', advisory: false, summary: 'ok' };
const failed = (summary: string, advisory = false): ResultState => ({ status: 'failure', advisory, summary });
const results = (entries: Record<string, ResultState>) => new Map(Object.entries(entries));
const REQUIRED = ['implement', 'unit-test', 'contract'];

describe('deriveStatus', () => {
  it('keeps the recorded status while no required stage has a result', () => {
    expect(deriveStatus({ status: 'created' }, results({}), REQUIRED)).toEqual({ status: 'created' });
    expect(deriveStatus({ status: 'ready' }, results({}), REQUIRED)).toEqual({ status: 'ready' });
  });

  it('is in progress once some required stage ran, ready for review when all passed or had nothing to judge', () => {
    expect(deriveStatus({ status: 'created' }, results({ implement: ok }), REQUIRED)).toEqual({ status: 'in_progress' });
    const skipped: ResultState = { status: 'skipped', advisory: false, summary: 'not configured: add eslint' };
    expect(deriveStatus({ status: 'created' }, results({ implement: ok, 'unit-test': ok, contract: skipped }), REQUIRED)).toEqual({
      status: 'ready_for_review',
    });
  });

  it('is failed with the first failing required stage and its cause; an advisory failure does not count', () => {
    expect(
      deriveStatus({ status: 'ready_for_review' }, results({ implement: ok, 'unit-test': failed('2 tests failed\nmore') }), REQUIRED),
    ).toEqual({
      status: 'failed',
      reason: 'stage unit-test failed: 2 tests failed',
    });
    expect(deriveStatus({ status: 'created' }, results({ implement: ok, 'unit-test': failed('x', true), contract: ok }), REQUIRED)).toEqual(
      {
        status: 'ready_for_review',
      },
    );
  });

  it('follows the results back from a failure recorded by a stage run (a cached green pipeline after a red one)', () => {
    const all = results({ implement: ok, 'unit-test': ok, contract: ok });
    expect(deriveStatus({ status: 'failed', reason: 'stage unit-test failed: boom' }, all, REQUIRED)).toEqual({
      status: 'ready_for_review',
    });
  });

  it('keeps decisions: approval, rollout, close, revert, and a failure a person or a mode recorded', () => {
    const red = results({ implement: failed('boom') });
    for (const status of ['review_approved', 'deploying', 'deployed_to_staging', 'deployed_to_production', 'done', 'reverted'] as const) {
      expect(deriveStatus({ status }, red, REQUIRED)).toEqual({ status });
    }
    const gaveUp = { status: 'failed' as const, reason: 'change order gave up after 3 attempts' };
    expect(deriveStatus(gaveUp, results({ implement: ok, 'unit-test': ok, contract: ok }), REQUIRED)).toEqual(gaveUp);
  });
});
