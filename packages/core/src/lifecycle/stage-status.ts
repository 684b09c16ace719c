import type { TaskStatus } from '../domain/task';
import { TRANSITIONS } from './transitions';

export interface StatusStep {
  to: TaskStatus;
  reason?: string;
}

/** The reason recorded when a required stage fails. */
export const stageFailureReason = (stage: string, summary: string) => `stage ${stage} failed: ${summary.split('\n')[0]}`.slice(0, 300);

/** The steps from `from` to `to`: direct when legal, else through in_progress. */
export function pathTo(from: TaskStatus, to: TaskStatus, reason?: string): StatusStep[] {
  if (from === to) return [];
  const step = { to, ...(reason ? { reason } : {}) };
  if (TRANSITIONS[from].includes(to)) return [step];
  if (TRANSITIONS[from].includes('in_progress') && TRANSITIONS.in_progress.includes(to)) return [{ to: 'in_progress' }, step];
  return [];
}
