import type { HistoryEvent } from './task-details';
import { TASK_STATUSES, type TaskStatus } from '../domain/task';

/** The forward path of a task's lifecycle (the statuses in order); `failed` and `reverted` leave it. */
export const LIFECYCLE_PATH: readonly TaskStatus[] = TASK_STATUSES.filter((s) => s !== 'failed' && s !== 'reverted');

export interface LifecycleStep {
  status: TaskStatus;
  /** past: reached before; current: where the task is; ahead: not reached. */
  state: 'past' | 'current' | 'ahead';
  /** When the task last moved to it (from the audit trail), if recorded. */
  at?: string;
}

export interface LifecycleView {
  status?: string;
  reason?: string;
  steps: LifecycleStep[];
  /** Set when the task left the path: failed or reverted, and from where. */
  off_path?: { status: string; from?: string; at?: string };
}

/**
 * Where a task stands on its lifecycle path (pure), from its status and its `status_changed`
 * events. A failed or reverted task shows the path up to where it left it.
 */
export function lifecycleView(status: string | undefined, reason: string | undefined, events: readonly HistoryEvent[]): LifecycleView {
  const reachedAt = new Map<string, string>();
  let lastOnPath: string | undefined;
  let leftAt: string | undefined;
  for (const e of events) {
    if (e.action === 'task_created') reachedAt.set('created', e.ts);
    if (e.action !== 'status_changed') continue;
    const to = typeof e.details?.to === 'string' ? e.details.to : e.outcome;
    reachedAt.set(to, e.ts);
    if (LIFECYCLE_PATH.includes(to as TaskStatus)) lastOnPath = to;
    else leftAt = e.ts;
  }
  const onPath = status !== undefined && LIFECYCLE_PATH.includes(status as TaskStatus);
  const here = onPath ? status : (lastOnPath ?? 'created');
  const index = LIFECYCLE_PATH.indexOf(here as TaskStatus);
  const steps = LIFECYCLE_PATH.map((s, i): LifecycleStep => {
    const state = i < index ? 'past' : i === index && onPath ? 'current' : i === index ? 'past' : 'ahead';
    const at = reachedAt.get(s);
    return { status: s, state, ...(at && state !== 'ahead' ? { at } : {}) };
  });
  const view: LifecycleView = { steps, ...(status ? { status } : {}), ...(reason ? { reason } : {}) };
  if (status !== undefined && !onPath) view.off_path = { status, from: here, ...(leftAt ? { at: leftAt } : {}) };
  return view;
}
