import type { ExecutorContext } from '@nx/devkit';
import { runReviewStage } from '@factory/llm';
import { failed, modeEnvironment, taskSlug } from '../mode-env';
import { ReviewExecutorSchema, type ReviewExecutorOptions } from './schema';

/** The `stage-review` target: writes results/stage-review.json and .log like any stage. */
export default async function reviewExecutor(raw: ReviewExecutorOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  try {
    ReviewExecutorSchema.parse(raw);
    const result = await runReviewStage(modeEnvironment(context), taskSlug(context));
    return { success: result.status !== 'failure' };
  } catch (e) {
    return failed(e);
  }
}
