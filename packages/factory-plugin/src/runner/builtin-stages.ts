import { automaticActor, CORE_BUILTIN_STAGES, type BuiltinStageHandler } from '@factory/core';
import { reviewStageWithoutModel } from '@factory/llm';

/**
 * Every built-in stage the stage runner can run, by name. `build.mjs` bundles this file into
 * `dist/runner/stage-builtins.cjs`, which the runner requires only when a built-in stage runs
 * (see `@factory/core`'s `stage/builtin-stage.ts`). The plugin imports core and llm, so
 * handlers from either package are registered here. `review` with a model (the provider SDKs)
 * is a bundle of its own, `stage-review.cjs`, loaded only when `.factory/config.yaml` has an
 * `llm:` section; without one the answer (not run, advisory) needs none of it.
 */
export const builtinStages: Readonly<Record<string, BuiltinStageHandler>> = {
  ...CORE_BUILTIN_STAGES,
  review: async (run) => {
    const actor = await (run.prepared?.actor?.() ?? automaticActor(run.root));
    return (await reviewStageWithoutModel(actor, run)) ?? (await import('./review-stage')).reviewStage(run, actor);
  },
};
