import { z } from 'zod';

export const ChangeOrderExecutorSchema = z
  .object({
    instruction: z.string().optional().meta({ description: "What to change (default: implement the task's spec.md)." }),
    maxAttempts: z
      .number()
      .int()
      .min(1)
      .max(10)
      .optional()
      .meta({ description: 'Attempts before the task is handed to a person (default: change_order.max_attempts, 3).' }),
  })
  .strict()
  .meta({
    $id: 'FactoryChangeOrder',
    title: 'LLM change order',
    description:
      "Asks the configured model for edits, checks every edit against the task's contract before anything touches disk, applies the accepted ones and sends them through TCR; retries with the root cause, then hands the task to a person.",
  });
export type ChangeOrderExecutorOptions = z.input<typeof ChangeOrderExecutorSchema>;
