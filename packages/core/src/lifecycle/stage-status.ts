import type { TaskStatus } from '../domain/task';
import { TRANSITIONS } from './transitions';

export interface StatusStep {
  to: TaskStatus;
  reason?: string;
}

/** Statuses in which stage runs no longer move the task: it is being rolled out, or finished. */
const SETTLED: readonly TaskStatus[] = ['deploying', 'deployed_to_staging', 'deployed_to_production', 'done'];

/** The reason recorded when a required stage fails; `stageFailedBy` reads the name back. */
export const stageFailureReason = (stage: string, summary: string) => `stage ${stage} failed: ${summary.split('\n')[0]}`.slice(0, 300);
const stageFailedBy = (reason: string | undefined, stage: string) => reason !== undefined && reason.includes(`stage ${stage} failed`);

/** The steps from `from` to `to`: direct when legal, else through in_progress. */
export function pathTo(from: TaskStatus, to: TaskStatus, reason?: string): StatusStep[] {
  if (from === to) return [];
  const step = { to, ...(reason ? { reason } : {}) };
  if (TRANSITIONS[from].includes(to)) return [step];
  if (TRANSITIONS[from].includes('in_progress') && TRANSITIONS.in_progress.includes(to)) return [{ to: 'in_progress' }, step];
  return [];
}

/**
 * How a stage run moves a task (pure). The first run starts the work (→ in_progress); a required
 * stage's failure → failed, with the stage and its root cause as the reason; that stage passing
 * again → in_progress. Once the task is being rolled out or is done, stages change nothing.
 */
export function statusAfterStage(
  current: { status: TaskStatus; reason?: string },
  run: { stage: string; status: 'success' | 'failure' | 'skipped'; advisory: boolean; summary: string },
): StatusStep[] {
  if (SETTLED.includes(current.status)) return [];
  if (run.status === 'failure' && !run.advisory) return pathTo(current.status, 'failed', stageFailureReason(run.stage, run.summary));
  if (current.status === 'failed') return stageFailedBy(current.reason, run.stage) ? [{ to: 'in_progress' }] : [];
  if (current.status === 'created' || current.status === 'ready' || current.status === 'reverted') return [{ to: 'in_progress' }];
  return [];
}

/** How a green pipeline moves a task (pure): to ready_for_review, from wherever work is going on. */
export function statusAfterGreenPipeline(current: TaskStatus): StatusStep[] {
  if (SETTLED.includes(current) || current === 'ready_for_review' || current === 'review_approved') return [];
  return pathTo(current, 'ready_for_review');
}
