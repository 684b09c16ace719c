import { z } from 'zod';

/** Options of `nx run <slug>:tcr` (and `factory tcr run`); unset ones come from config.yaml's `tcr:` section. */
export const TcrExecutorSchema = z
  .object({
    stages: z.array(z.string()).optional().meta({
      description:
        "The task's test stages; what they need runs first as the build (default: tcr.stages in .factory/config.yaml, else unit-test).",
    }),
    variant: z.enum(['relaxed', 'strict']).optional().meta({
      description: 'relaxed: a revert keeps test files (default); strict: it reverts everything.',
    }),
    message: z.string().optional().meta({ description: 'The commit summary after "<slug>: " (default: the files changed).' }),
    watch: z.boolean().optional().meta({ description: 'Run a cycle whenever files in the workspace change (debounced) until stopped.' }),
    debounceMs: z
      .number()
      .int()
      .min(0)
      .max(60_000)
      .optional()
      .meta({ description: 'Watch mode: quiet time after the last change (default 400).' }),
    maxAttempts: z.number().int().min(1).max(10_000).optional().meta({
      description: 'Watch mode: stop after this many cycles in a row without a commit.',
    }),
    wait: z
      .number()
      .min(0)
      .max(86_400)
      .optional()
      .meta({ description: 'Seconds to wait when the task is busy with another run (default 0).' }),
    actor: z.string().optional().meta({ description: "Who runs it, for the audit trail (default: git's user.email)." }),
  })
  .strict()
  .meta({
    $id: 'FactoryTcr',
    title: 'Test-Code-Revert',
    description:
      "Runs the task's test stages in its workspace: when they pass, commits the change (<slug>: ..., Factory-Task trailer); when they fail, saves the attempt under refs/factory/<slug>/reverted/<n> and reverts it.",
  });
export type TcrExecutorOptions = z.input<typeof TcrExecutorSchema>;
