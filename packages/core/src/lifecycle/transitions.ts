import { err, ok, type Result } from '../domain/errors';
import type { TaskStatus } from '../domain/task';

/**
 * The seed's task lifecycle as a state machine. Forward:
 * created → ready (workspace ready) → in_progress (first stage) → ready_for_review (pipeline
 * green) → review_approved → deploying (approve) → deployed_to_staging (first rollout step) →
 * deployed_to_production (100 %) → done (close). `failed` and `reverted` can be reached from
 * any active state and left by starting work again. A change to the code after a green
 * pipeline sends the task back to in_progress.
 */
export const TRANSITIONS: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
  created: ['ready', 'in_progress', 'failed'],
  ready: ['in_progress', 'failed'],
  in_progress: ['ready_for_review', 'failed', 'reverted'],
  ready_for_review: ['review_approved', 'deploying', 'in_progress', 'failed'],
  review_approved: ['deploying', 'in_progress', 'failed'],
  deploying: ['deployed_to_staging', 'deployed_to_production', 'reverted', 'failed'],
  deployed_to_staging: ['deployed_to_production', 'reverted', 'failed'],
  deployed_to_production: ['done', 'reverted'],
  done: [],
  failed: ['in_progress', 'ready'],
  reverted: ['in_progress', 'ready'],
};

/** Whether `from → to` is legal; the error names both states and the legal next ones. */
export function checkTransition(from: TaskStatus, to: TaskStatus): Result<TaskStatus> {
  if (TRANSITIONS[from].includes(to)) return ok(to);
  const next = TRANSITIONS[from];
  return err(
    `a task cannot go from ${from} to ${to}; from ${from} it can go to ${next.length ? next.join(', ') : 'nothing (it is finished)'}`,
  );
}
