import type { TargetConfiguration } from '@nx/devkit';

/**
 * The LLM mode targets of a task project: `change-order` and `rescue`, never cached (each run
 * asks the model and changes the code). The third mode, review, is a stage of the pipeline
 * (the built-in `review` stage, `stage-review`).
 */
export function modeTargets(): Record<string, TargetConfiguration> {
  // Kept small like the stage targets: Nx copies project configurations between its workers.
  const meta = (description: string) => ({ description });
  return {
    'change-order': {
      executor: 'factory:change-order',
      cache: false,
      metadata: meta('Have the configured LLM implement --instruction "…" (or the spec): contract-checked edits under TCR, retried with the root cause, then handed to a person'),
    },
    rescue: {
      executor: 'factory:rescue',
      cache: false,
      metadata: meta("Diagnose the task's newest failed stage into .factory/<slug>/rescue.md; --apply sends the proposed fix through the change order"),
    },
  };
}
