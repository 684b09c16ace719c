import type { ModeEnvironment } from '../shared/provider';
import { reviewTask } from './run';
import { toStageOutcome, type ReviewStageOutcome, type ReviewStageRun } from './stage-outcome';

export {
  reviewStageWithoutModel,
  toStageOutcome,
  type ReviewStageFinding,
  type ReviewStageOutcome,
  type ReviewStageRun,
} from './stage-outcome';

/**
 * The `review` stage as a built-in stage handler: a thin adapter from the stage runner to
 * `reviewTask`. The report goes to the stage's log; findings carry their severity in `rule`.
 */
export function reviewStageHandler(base: Omit<ModeEnvironment, 'root' | 'signal'>) {
  return async (run: ReviewStageRun): Promise<ReviewStageOutcome> => {
    const outcome = await reviewTask(
      { ...base, root: run.root, signal: run.signal },
      { slug: run.invocation.slug, codeRoot: () => run.codeRoot },
    );
    run.log(outcome.report);
    return toStageOutcome(outcome);
  };
}
