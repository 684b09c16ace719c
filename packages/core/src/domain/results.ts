import { z } from 'zod';

export const STAGE_STATUSES = ['success', 'failure', 'skipped'] as const;
export const StageStatusSchema = z.enum(STAGE_STATUSES);
export type StageStatus = z.infer<typeof StageStatusSchema>;

/**
 * One thing a built-in stage found: a contract violation, a secret (never its value), a
 * review remark. `rule` names what was broken; `file` and `line` say where, when known.
 */
export const StageFindingSchema = z.object({
  rule: z.string(),
  file: z.string().optional(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
  message: z.string(),
  /** A lint or format finding that was there before the task's change (counted, not failing). */
  preexisting: z.boolean().optional(),
  /** A warning in the change that does not fail (the project's configuration makes it a warning). */
  warning: z.boolean().optional(),
});
export type StageFinding = z.infer<typeof StageFindingSchema>;

/** `results/stage-<name>.json`: the outcome of one stage run. Lenient on read (newer fields pass). */
export const StageResultSchema = z.object({
  stage_name: z.string(),
  slug: z.string(),
  status: StageStatusSchema,
  /** True when the stage failed but is advisory (`required_success: false`). */
  advisory: z.boolean().default(false),
  exit_code: z.number().int().nullable(),
  timed_out: z.boolean().default(false),
  duration_ms: z.number().int().min(0),
  started_at: z.string(),
  finished_at: z.string(),
  command: z.string(),
  /** 1-2 lines: the root cause of a failure, or the final status line of a success. */
  summary: z.string(),
  /** Figures the stage produced, e.g. `coverage_percent`. */
  metrics: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).default({}),
  /** The git tree id of the code the stage judged: the whole working tree, `.factory/` left out (code-hash/tree.ts). */
  code_tree: z.string().optional(),
  log_file: z.string(),
  /** What a built-in stage found (each failure reason, with file and line where known). */
  findings: z.array(StageFindingSchema).optional(),
  /** Things a built-in stage noticed that do not fail it. */
  warnings: z.array(z.string()).optional(),
  /** Processes Factory ended: after a timeout or cancel, or left running when the command exited. */
  killed: z.array(z.object({ pid: z.number().int(), command: z.string() })).optional(),
});
export type StageResult = z.infer<typeof StageResultSchema>;

/** The seed's TaskResult: every stage of a task's pipeline, aggregated. */
export interface TaskResult {
  slug: string;
  stages: StageResult[];
  /** `success` when every required stage succeeded, `failure` when one failed, `incomplete` otherwise. */
  overall_status: 'success' | 'failure' | 'incomplete';
  total_duration_ms: number;
  metrics: Record<string, number | string | boolean>;
  errors: string[];
}
