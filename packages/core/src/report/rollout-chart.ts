import type { HistoryEvent } from './task-details';
import { HealthSampleSchema, type HealthSample, type RolloutState } from '../rollout/state';

/** One point of the percentage served over time. */
export interface RolloutPoint {
  at: string;
  /** Milliseconds since the approval. */
  offset_ms: number;
  percent: number;
  action: string;
  by: string;
}

/** One health check, where it was taken. */
export interface HealthCheckPoint extends HealthSample {
  at: string;
  offset_ms: number;
  /** The percentage served while it was taken. */
  percent: number;
}

export interface RolloutChart {
  strategy: string;
  steps: number[];
  percent: number;
  phase: string;
  started_at: string;
  /** From the approval to the last change, or to `now` while the rollout can still move. */
  span_ms: number;
  /** A step function: each point holds until the next one. */
  points: RolloutPoint[];
  checks: HealthCheckPoint[];
}

/** Milliseconds from `start` to `at` (0 when either is not a time, or `at` is earlier). */
function offsetFrom(start: string, at: string): number {
  const t0 = Date.parse(start);
  const t = Date.parse(at);
  return Number.isNaN(t) || Number.isNaN(t0) ? 0 : Math.max(0, t - t0);
}

/**
 * The rollout as a chart (pure): the percentage served after each entry of the rollout's
 * history, and every health check (those in the history, and the checks that held a canary,
 * which only the audit trail records). While the rollout can still move, the axis runs to
 * `now`, so the percentage served holds until the present (see `rolloutChartAt`).
 */
export function rolloutChart(
  state: Pick<RolloutState, 'strategy' | 'steps' | 'percent' | 'phase' | 'approved_at' | 'history'>,
  events: readonly HistoryEvent[] = [],
  now?: Date,
): RolloutChart {
  const t0 = Date.parse(state.approved_at);
  const offset = (at: string) => offsetFrom(state.approved_at, at);
  const points: RolloutPoint[] = [{ at: state.approved_at, offset_ms: 0, percent: 0, action: 'approved', by: '' }];
  const checks: HealthCheckPoint[] = [];
  for (const h of state.history) {
    if (h.health) checks.push({ ...h.health, at: h.at, offset_ms: offset(h.at), percent: h.from });
    points.push({ at: h.at, offset_ms: offset(h.at), percent: h.to, action: h.action, by: h.by });
  }
  if (points.length > 1 && points[1].action === 'approved') points[0].by = points[1].by;
  for (const e of events) {
    if (e.action !== 'deployment_step' || e.outcome !== 'held' || Date.parse(e.ts) < t0) continue;
    const health = HealthSampleSchema.safeParse(e.details?.health);
    const percent = typeof e.details?.percent === 'number' ? e.details.percent : undefined;
    if (health.success && percent !== undefined) checks.push({ ...health.data, at: e.ts, offset_ms: offset(e.ts), percent });
  }
  checks.sort((a, b) => a.offset_ms - b.offset_ms);
  const chart: RolloutChart = {
    strategy: state.strategy,
    steps: state.steps,
    percent: state.percent,
    phase: state.phase,
    started_at: state.approved_at,
    span_ms: Math.max(0, ...points.map((p) => p.offset_ms), ...checks.map((c) => c.offset_ms)),
    points,
    checks,
  };
  return rolloutChartAt(chart, now);
}

/**
 * A chart made without a `now` (pure; no zod, so that a chart kept from an earlier read can be
 * brought to the present): while the rollout can still move, its axis runs to `now`.
 */
export function rolloutChartAt(chart: RolloutChart, now?: Date): RolloutChart {
  if (!now || !['starting', 'active', 'holding'].includes(chart.phase)) return chart;
  return { ...chart, span_ms: Math.max(chart.span_ms, offsetFrom(chart.started_at, now.toISOString())) };
}
