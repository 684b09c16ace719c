import type { ChangedPath, SavedAttempt } from '../workspace/backend';

/** What one TCR cycle ended with. */
export type TcrResult =
  /** Tests passed; the change was committed. */
  | 'committed'
  /** Tests passed; there was nothing to commit. */
  | 'unchanged'
  /** Tests failed; the attempt was saved, then reverted. */
  | 'reverted'
  /** A build stage (one the test stages need) failed; nothing was committed or reverted. */
  | 'build_failed'
  /** The task, its contract, workspace or TCR settings are not usable; nothing was run. */
  | 'config_error'
  /** git or jj failed; the message says which command. Nothing is lost: see the attempts. */
  | 'vcs_error'
  /** Another pipeline or TCR run holds the task. */
  | 'busy'
  /** A loop used up max_attempts without a commit. */
  | 'gave_up';

/**
 * Exit codes of `factory tcr run` (Nx itself only tells success from failure: `nx run <slug>:tcr`
 * succeeds for committed and unchanged, and prints the code below).
 */
export const TCR_EXIT_CODES: Readonly<Record<TcrResult, number>> = {
  committed: 0,
  unchanged: 0,
  reverted: 1,
  build_failed: 2,
  config_error: 3,
  vcs_error: 4,
  busy: 5,
  gave_up: 6,
};

export interface TcrStageRun {
  name: string;
  status: 'success' | 'failure' | 'skipped';
  /** Failed, but not required (it does not count). */
  advisory: boolean;
  duration_ms: number;
  summary: string;
}

export interface TcrOutcome {
  slug: string;
  result: TcrResult;
  exitCode: number;
  /** One line for people. */
  message: string;
  durationMs: number;
  variant?: 'relaxed' | 'strict';
  stages: TcrStageRun[];
  /** Files the cycle committed, or the files of the reverted attempt. */
  files: ChangedPath[];
  /** The commit made (committed). */
  commit?: string;
  /** The saved attempt (reverted). */
  attempt?: SavedAttempt;
  /** Files a revert put back, and test files it kept (relaxed). */
  reverted?: string[];
  kept?: string[];
  /** What was recovered from a run that was killed. */
  recovered?: string[];
  /** Loops: how many cycles ran. */
  attempts?: number;
}

export const outcomeOk = (o: Pick<TcrOutcome, 'result'>) => o.result === 'committed' || o.result === 'unchanged';
