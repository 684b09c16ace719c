import type { TargetConfiguration } from '@nx/devkit';

/**
 * The LLM mode targets of a task project: `change-order` and `rescue` (never cached: each run
 * asks the model and changes the code), and `stage-review`, the review stage, after every other
 * stage (a change that does not build or test is not worth a model's review). Review is cached
 * like a stage: its key also covers the spec, since the review judges the change against it.
 */
export function modeTargets(stageTargets: readonly string[], inputs: TargetConfiguration['inputs']): Record<string, TargetConfiguration> {
  // Kept small like the stage targets: Nx copies project configurations between its workers.
  const meta = (description: string) => ({ description });
  return {
    'stage-review': {
      executor: 'factory:review',
      dependsOn: stageTargets.filter((t) => t !== 'stage-review'),
      cache: true,
      inputs: [...(inputs ?? []), '{projectRoot}/spec.md'],
      outputs: ['{projectRoot}/results/stage-review.*'],
      metadata: meta(
        "Review the task's diff against its spec and contract with the configured LLM; findings at or above review.block_at fail it (advisory and skipped without a provider)",
      ),
    },
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
