import { z } from 'zod';
import { ROLLOUT_STRATEGIES } from '@factory/core';

export const ApproveExecutorSchema = z
  .object({
    strategy: z.enum(ROLLOUT_STRATEGIES).default('gradual').meta({
      description:
        'How the change reaches users: immediate (100 %), gradual (1 → 10 → 50 → 100 %, steps from .factory/config.yaml) or canary (1 %, then a manual promote).',
    }),
    actor: z.string().min(1).optional().meta({ description: "Who approves, recorded in the audit trail (default: git's user.email)." }),
    yes: z.boolean().default(false).meta({ description: 'Do not ask for confirmation.' }),
  })
  .strict()
  .meta({
    $id: 'FactoryApprove',
    title: 'Approve a Factory task',
    description:
      "A person's approval of the task, on fresh green evidence: refused under CI, when a required stage (or the contract or coverage gate) has no passing result, or when a result is older than the last change to the task's code. Records the approval and starts the rollout.",
  });
export type ApproveExecutorOptions = z.input<typeof ApproveExecutorSchema>;
