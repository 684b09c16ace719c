import { z } from 'zod';

export const RescueExecutorSchema = z
  .object({
    apply: z.boolean().optional().meta({ description: 'Send the proposed fix through the change order (contract checks, TCR).' }),
  })
  .strict()
  .meta({
    $id: 'FactoryRescue',
    title: 'LLM rescue',
    description:
      "Diagnoses the task's newest failed stage from its result, log and diff, and writes .factory/<slug>/rescue.md (root cause, evidence, proposed fix).",
  });
export type RescueExecutorOptions = z.input<typeof RescueExecutorSchema>;
