import type { AuditEvent } from '../audit/event';
import { lifecycleView } from './lifecycle-view';

const moved = (ts: string, from: string, to: string): AuditEvent => ({
  v: 1,
  seq: 1,
  ts,
  actor: 'a',
  task: 't',
  action: 'status_changed',
  outcome: to,
  details: { from, to },
  prev: '0'.repeat(64),
  hash: '0'.repeat(64),
});

describe('lifecycleView', () => {
  it('marks the steps before the status past, the status current, the rest ahead', () => {
    const v = lifecycleView('ready_for_review', undefined, [
      moved('t1', 'created', 'in_progress'),
      moved('t2', 'in_progress', 'ready_for_review'),
    ]);
    const state = Object.fromEntries(v.steps.map((s) => [s.status, s.state]));
    expect(state).toMatchObject({
      created: 'past',
      in_progress: 'past',
      ready_for_review: 'current',
      review_approved: 'ahead',
      done: 'ahead',
    });
    expect(v.steps.find((s) => s.status === 'ready_for_review')?.at).toBe('t2');
    expect(v.off_path).toBeUndefined();
  });

  it('shows a failed task off the path, from where it left it, with the reason', () => {
    const v = lifecycleView('failed', 'stage build failed: boom', [
      moved('t1', 'created', 'in_progress'),
      moved('t2', 'in_progress', 'failed'),
    ]);
    expect(v.off_path).toEqual({ status: 'failed', from: 'in_progress', at: 't2' });
    expect(v.reason).toBe('stage build failed: boom');
    expect(v.steps.some((s) => s.state === 'current')).toBe(false);
    expect(v.steps.find((s) => s.status === 'in_progress')?.state).toBe('past');
  });
});
