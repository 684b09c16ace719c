import { CORE_BUILTIN_STAGES, type BuiltinStageHandler } from '@factory/core';

/**
 * Every built-in stage the stage runner can run, by name. `build.mjs` bundles this file into
 * `dist/runner/stage-builtins.cjs`, which the runner requires only when a built-in stage runs
 * (see `@factory/core`'s `stage/builtin-stage.ts`). The plugin imports core and llm, so
 * handlers from either package are registered here. `review` (the provider SDKs) is a bundle
 * of its own, `stage-review.cjs`, loaded on its first run.
 */
export const builtinStages: Readonly<Record<string, BuiltinStageHandler>> = {
  ...CORE_BUILTIN_STAGES,
  review: async (run) => (await import('./review-stage')).reviewStage(run),
};
