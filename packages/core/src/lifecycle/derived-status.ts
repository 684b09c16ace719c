import type { TaskStatus } from '../domain/task';
import { stageFailureReason } from './stage-status';

/** Statuses a person's decision sets (approval, rollout, close, revert): stage results never change them. */
const DECIDED: readonly TaskStatus[] = [
  'review_approved',
  'deploying',
  'deployed_to_staging',
  'deployed_to_production',
  'done',
  'reverted',
];

/** What of a stage result the status depends on. */
export interface ResultState {
  status: 'success' | 'failure' | 'skipped';
  advisory: boolean;
  summary: string;
}

/**
 * A task's status (pure): decided statuses as recorded; before a decision, what its latest stage
 * results say — a required stage failed: failed, with that stage's cause; every required stage
 * passed (or has nothing to judge): ready for review; some ran: in progress; none: as recorded.
 * Derived, never written by a stage run, so that a result restored from Nx's cache moves the task
 * exactly as a run would, and running stages changes no tracked file. A `failed` recorded by a
 * person or an LLM mode (not a stage) stands until a decision moves it.
 */
export function deriveStatus(
  recorded: { status: TaskStatus; reason?: string },
  results: ReadonlyMap<string, ResultState>,
  required: readonly string[],
): { status: TaskStatus; reason?: string } {
  if (DECIDED.includes(recorded.status)) return recorded;
  if (recorded.status === 'failed' && !/^stage \S+ failed/.test(recorded.reason ?? '')) return recorded;
  const failed = required.find((n) => results.get(n)?.status === 'failure' && !results.get(n)?.advisory);
  if (failed) return { status: 'failed', reason: stageFailureReason(failed, (results.get(failed) as ResultState).summary) };
  const done = (r: ResultState | undefined) => r !== undefined && (r.status !== 'failure' || r.advisory);
  if (required.length && required.every((n) => done(results.get(n)))) {
    return { status: 'ready_for_review' };
  }
  if (required.some((n) => results.has(n))) return { status: 'in_progress' };
  return recorded.status === 'ready' ? recorded : { status: recorded.status === 'failed' ? 'created' : recorded.status };
}
