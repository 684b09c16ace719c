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
      metadata: meta('Have the LLM implement --instruction (or the spec) within the contract, under TCR'),
    },
    rescue: {
      executor: 'factory:rescue',
      cache: false,
      metadata: meta('Have the LLM diagnose the newest failed stage; --apply fixes it by change order'),
    },
  };
}
