import { z } from 'zod';

export const RolloutExecutorSchema = z
  .object({
    to: z.number().gt(0).max(100).optional().meta({
      description: 'Go to this percentage instead of the next step (a manual promote, e.g. of a canary); after a health check.',
    }),
    abort: z.boolean().default(false).meta({ description: 'Roll back to 0 % now; the task becomes reverted.' }),
    actor: z.string().min(1).optional().meta({ description: "Who moves the rollout (default: FACTORY_ACTOR, else git's user.email)." }),
  })
  .strict()
  .meta({
    $id: 'FactoryRollout',
    title: "Move a Factory task's rollout",
    description:
      'Advances the rollout one step after a health check (rollout.health in .factory/config.yaml); an unhealthy check rolls back to 0 % and reverts the task. --to promotes to a percentage, --abort rolls back.',
  });
export type RolloutExecutorOptions = z.input<typeof RolloutExecutorSchema>;
