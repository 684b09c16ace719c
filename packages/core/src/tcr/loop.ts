import { outcomeOk, TCR_EXIT_CODES, type TcrOutcome } from './outcome';
import { runTcrCycle, type TcrRequest } from './cycle';

export interface TcrLoopRequest extends TcrRequest {
  /** Cycles to try before giving up (default 1). */
  maxAttempts?: number;
  /**
   * Called before each cycle with its number (from 1) and the previous cycle's outcome: this
   * is where an agent changes the code. Returning false stops the loop.
   */
  beforeAttempt?: (attempt: number, previous: TcrOutcome | undefined) => Promise<boolean | void>;
}

/**
 * TCR in a loop, as an agent uses it: change the code, run a cycle, until a cycle commits or
 * `maxAttempts` cycles were reverted or failed to build (`gave_up`, exit code 6). A
 * configuration, VCS or busy outcome ends the loop at once.
 */
export async function runTcrLoop(req: TcrLoopRequest): Promise<TcrOutcome> {
  const max = req.maxAttempts ?? 1;
  let last: TcrOutcome | undefined;
  for (let attempt = 1; attempt <= max; attempt++) {
    if (req.signal?.aborted) break;
    if (req.beforeAttempt && (await req.beforeAttempt(attempt, last)) === false) break;
    last = await runTcrCycle(req);
    last.attempts = attempt;
    if (outcomeOk(last) || (last.result !== 'reverted' && last.result !== 'build_failed')) return last;
  }
  if (!last)
    return {
      slug: req.slug,
      result: 'gave_up',
      exitCode: TCR_EXIT_CODES.gave_up,
      message: 'no cycle ran',
      durationMs: 0,
      stages: [],
      files: [],
      attempts: 0,
    };
  if (max === 1 && last.attempts === 1) return last;
  return {
    ...last,
    result: 'gave_up',
    exitCode: TCR_EXIT_CODES.gave_up,
    message: `gave up after ${last.attempts} attempt(s) without a commit; last: ${last.message}`,
  };
}
