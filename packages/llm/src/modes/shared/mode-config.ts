import { FactoryError, GLOBAL_FILES, formatProblem, parseWith, type FactoryConfig } from '@factory/core';
import { z } from 'zod';

/** Severities of review findings, least to most serious. */
export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export const SeveritySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof SeveritySchema>;

/** `review:` in `.factory/config.yaml`. */
export const ReviewConfigSchema = z.strictObject({
  /** Findings at or above this severity fail the review stage; `never`: review only advises. */
  block_at: z.enum([...SEVERITIES, 'never']).default('high'),
  /** Characters of diff, spec and files the review prompt may hold. */
  prompt_budget_chars: z.int().min(2_000).max(2_000_000).default(60_000),
});
export type ReviewConfig = z.infer<typeof ReviewConfigSchema>;

/** `change_order:` in `.factory/config.yaml` (also used by `rescue --apply`). */
export const ChangeOrderConfigSchema = z.strictObject({
  /** Attempts (each a model answer) before the task is handed to a person. */
  max_attempts: z.int().min(1).max(10).default(3),
  /** Characters of spec, files, diff and failure log one prompt may hold. */
  prompt_budget_chars: z.int().min(4_000).max(2_000_000).default(60_000),
  /** Largest file an edit may write. */
  max_file_bytes: z
    .int()
    .min(1)
    .max(10_000_000)
    .default(512 * 1024),
  /** The pipeline stages TCR runs to test an attempt (default: implement and unit-test, those the pipeline has). */
  test_stages: z.array(z.string().min(1)).min(1).optional(),
});
export type ChangeOrderConfig = z.infer<typeof ChangeOrderConfigSchema>;

function section<S extends z.ZodType>(config: FactoryConfig, key: 'review' | 'change_order', schema: S): z.infer<S> {
  const r = parseWith(schema, config[key] ?? {}, GLOBAL_FILES.config);
  if (!r.value) {
    const problems = r.errors.map((p) => formatProblem({ ...p, field: p.field === '(document)' ? key : `${key}.${p.field}` }));
    throw new FactoryError('CONFIG', problems.join('\n'), { file: GLOBAL_FILES.config, field: key });
  }
  return r.value as z.infer<S>;
}

export const reviewConfig = (config: FactoryConfig): ReviewConfig => section(config, 'review', ReviewConfigSchema);
export const changeOrderConfig = (config: FactoryConfig): ChangeOrderConfig => section(config, 'change_order', ChangeOrderConfigSchema);
