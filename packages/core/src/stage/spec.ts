import { z } from 'zod';
import { SlugSchema } from '../domain/slug-schema';
import { StageSchema } from '../domain/stage';

/**
 * Everything the stage runner needs to run one stage, resolved from the task's contract (see
 * stage-spec.ts: the runner reads it from the contract cache inference fills).
 */
export const StageRunSpecSchema = z.object({
  v: z.literal(1),
  slug: SlugSchema,
  /** The stage to run, without what only Nx needs (description, needs). */
  stage: StageSchema.omit({ description: true, needs: true }).optional(),
  /** Where the command runs, relative to the task's code root (its workspace or the repository). */
  working_directory: z.string().default('.'),
  required_test_coverage: z.number().min(0).max(100).default(0),
  /** Extra environment from `.factory/config.yaml` (`env:`). */
  env: z.record(z.string(), z.string()).optional(),
  /** The contract's allowed files: what the stage's code fingerprint covers when the task has no workspace. */
  allowed_files: z.array(z.string()).optional(),
  /** Set for the `pipeline` target: the required stages whose passing results make the pipeline green. */
  pipeline: z.object({ required: z.array(z.string()) }).optional(),
});
export type StageRunSpec = z.infer<typeof StageRunSpecSchema>;
export type RunnableStage = NonNullable<StageRunSpec['stage']>;
