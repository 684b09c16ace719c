import type { BuiltinStageHandler } from '@factory/core';
import { reviewStageHandler } from '@factory/llm';

/**
 * The built-in `review` stage: the LLM review of the task's diff (see `@factory/llm`'s
 * `modes/review`). `build.mjs` bundles this file on its own (`dist/runner/stage-review.cjs`),
 * loaded only when a review stage runs, so the provider SDKs never slow the other built-ins.
 * The API key is read from the stage's environment by name; it never reaches the log.
 */
export async function reviewStage(run: Parameters<BuiltinStageHandler>[0], actor: string): ReturnType<BuiltinStageHandler> {
  return reviewStageHandler({ env: process.env, actor, out: run.log })(run);
}
