import type { AuditEvent } from '../audit/event';
import type { RolloutState } from '../rollout/state';
import { rolloutChart, rolloutChartAt } from './rollout-chart';

const at = (min: number) => new Date(Date.UTC(2026, 0, 1, 12, min)).toISOString();
const healthy = { healthy: true, error_rate: 0.001, latency_ms: 120, source: 'command', message: 'ok' };

const state = (history: RolloutState['history'], extra: Partial<RolloutState> = {}): RolloutState => ({
  version: 1,
  flag_key: 't',
  strategy: 'gradual',
  steps: [1, 10, 50, 100],
  percent: history.at(-1)?.to ?? 0,
  phase: 'active',
  approved_by: 'ann@example.com',
  approved_at: at(0),
  updated_at: at(0),
  history,
  ...extra,
});

const event = (ts: string, action: string, outcome: string, details: Record<string, unknown>): AuditEvent => ({
  v: 1,
  seq: 1,
  ts,
  actor: 'ann@example.com',
  task: 't',
  action,
  outcome,
  details,
  prev: '0'.repeat(64),
  hash: '0'.repeat(64),
});

describe('rolloutChart', () => {
  it('draws the percentage after each step, from 0 % at the approval', () => {
    const c = rolloutChart(
      state([
        { at: at(0), by: 'ann@example.com', action: 'approved', from: 0, to: 1 },
        { at: at(5), by: 'ann@example.com', action: 'advanced', from: 1, to: 10, health: healthy },
      ]),
    );
    expect(c.points.map((p) => [p.offset_ms, p.percent, p.action])).toEqual([
      [0, 0, 'approved'],
      [0, 1, 'approved'],
      [300_000, 10, 'advanced'],
    ]);
    expect(c.points[0].by).toBe('ann@example.com');
    expect(c.span_ms).toBe(300_000);
  });

  it('runs the axis to now while the rollout can move, and stops at the last change once it cannot', () => {
    const history: RolloutState['history'] = [{ at: at(0), by: 'a', action: 'approved', from: 0, to: 1 }];
    expect(rolloutChart(state(history), [], new Date(at(30))).span_ms).toBe(1_800_000);
    expect(rolloutChart(state(history, { phase: 'complete' }), [], new Date(at(30))).span_ms).toBe(0);
  });

  it('puts each health check at the percentage served while it ran', () => {
    const c = rolloutChart(
      state([
        { at: at(0), by: 'a', action: 'approved', from: 0, to: 1 },
        { at: at(3), by: 'a', action: 'rolled_back', from: 1, to: 0, health: { ...healthy, healthy: false, error_rate: 0.2 } },
      ]),
    );
    expect(c.checks).toEqual([{ ...healthy, healthy: false, error_rate: 0.2, at: at(3), offset_ms: 180_000, percent: 1 }]);
  });

  it('adds the checks that held a canary, which only the audit trail records', () => {
    const c = rolloutChart(state([{ at: at(0), by: 'a', action: 'approved', from: 0, to: 1 }], { strategy: 'canary', steps: [1] }), [
      event(at(2), 'deployment_step', 'held', { percent: 1, health: healthy }),
      event(at(3), 'deployment_step', 'held', { percent: 1, health: { broken: true } }),
      event(at(4), 'status_changed', 'done', {}),
    ]);
    expect(c.checks.map((k) => [k.offset_ms, k.percent, k.healthy])).toEqual([[120_000, 1, true]]);
  });
});

describe('rolloutChartAt', () => {
  const history: RolloutState['history'] = [
    { at: at(0), by: 'a', action: 'approved', from: 0, to: 1 },
    { at: at(5), by: 'a', action: 'advanced', from: 1, to: 10, health: healthy },
  ];

  it('brings a chart made without a time to now, as if it had been made then', () => {
    for (const phase of ['active', 'complete'] as const)
      for (const now of [new Date(at(2)), new Date(at(30))])
        expect(rolloutChartAt(rolloutChart(state(history, { phase })), now)).toEqual(rolloutChart(state(history, { phase }), [], now));
  });

  it('leaves a chart without a time as it is', () => {
    const c = rolloutChart(state(history));
    expect(rolloutChartAt(c)).toBe(c);
  });
});
