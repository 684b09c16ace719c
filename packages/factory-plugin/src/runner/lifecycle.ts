/**
 * What a green pipeline does besides its results (`dist/runner/stage-lifecycle.cjs`, with zod and
 * YAML): the stage runner loads it only when the pipeline target finds every stage green.
 */
export { afterGreenPipeline } from '@factory/core';
