import { z } from 'zod';
import { SECRET_RULE_IDS } from '../gates/secret-rules';
import { validateGlob } from '../repo/glob';
import { LanguageSchema, type Language } from './language';
import { RelativePathSchema } from './paths';
import { StageInputSchema, StageOverrideSchema, type StageInput, type StageOverride } from './stage';

const GlobSchema = z.string().superRefine((v, ctx) => {
  const r = validateGlob(v);
  if (!r.ok) ctx.addIssue({ code: 'custom', message: r.error, input: v });
});

/** Secrets the `security` stage lets through: by fingerprint (shown in its findings), path glob or rule id. */
export const SecretsAllowlistSchema = z
  .object({
    fingerprints: z.array(z.string().regex(/^[0-9a-f]{16}$/, "expected the 16 hex digits of a finding's fingerprint")).optional(),
    paths: z.array(GlobSchema).optional(),
    rules: z
      .array(
        z.string().refine((r) => SECRET_RULE_IDS.includes(r), {
          message: `expected a secret rule id (${SECRET_RULE_IDS.join(', ')})`,
        }),
      )
      .optional(),
  })
  .strict();
export type SecretsAllowlist = z.infer<typeof SecretsAllowlistSchema>;

/**
 * A contract file (`.factory/contract.yaml` or `.factory/<slug>/contract.yaml`). Every field
 * is optional: a task's contract overrides the global one field by field.
 */
export const ContractFileSchema = z
  .object({
    language: LanguageSchema.optional(),
    /** Globs of the files the task may change (relative to the repository root). */
    allowed_files: z.array(GlobSchema).optional(),
    /** Globs of the files the task must not change, even when allowed. */
    forbidden_files: z.array(GlobSchema).optional(),
    /** Minimum line coverage in percent (0-100). */
    required_test_coverage: z.number().min(0).max(100).optional(),
    new_dependencies_allowed: z.boolean().optional(),
    /** Changed lines allowed, not counting lockfiles and generated files. */
    max_lines_changed: z.number().int().min(0).optional(),
    /** Where stage commands run, relative to the repository root (default: detected, see detect/locate.ts). */
    working_directory: RelativePathSchema.optional(),
    /** Replaces the standard pipeline; stages named like standard ones inherit what they omit. */
    pipeline: z.array(StageInputSchema).optional(),
    /** Overrides or adds stages by name, on top of the standard pipeline or `pipeline`. */
    stages: z.record(z.string(), StageOverrideSchema).optional(),
    /** Files not counted against max_lines_changed (lockfiles, generated code). */
    line_budget_exclude: z.array(GlobSchema).optional(),
    /** False positives the `security` stage lets through (also: a `factory:allow-secret` comment on the line). */
    secrets_allowlist: SecretsAllowlistSchema.optional(),
    custom_fields: z.record(z.string(), z.string()).optional(),
  })
  .strict();
export type ContractFile = z.infer<typeof ContractFileSchema>;

/** A contract with every field known, after merging global defaults and the task's own file. */
export interface Contract {
  language: Language;
  allowed_files: string[];
  forbidden_files: string[];
  required_test_coverage: number;
  new_dependencies_allowed: boolean;
  max_lines_changed: number;
  /** Undefined: detected from the manifest that covers the allowed files. */
  working_directory?: string;
  /** Undefined: the standard pipeline for the language. */
  pipeline?: StageInput[];
  stages: Record<string, StageOverride>;
  line_budget_exclude: string[];
  secrets_allowlist: SecretsAllowlist;
  custom_fields: Record<string, string>;
}

export const CONTRACT_DEFAULTS = {
  allowed_files: [] as string[],
  forbidden_files: [] as string[],
  required_test_coverage: 0,
  new_dependencies_allowed: false,
  max_lines_changed: 500,
  line_budget_exclude: [] as string[],
} as const;

/**
 * Merges the global contract and a task's contract, field by field: a field the task sets
 * replaces the global one; maps (`stages`, `custom_fields`) are merged key by key.
 * Returns the merged contract, or the name of the missing field when `language` is unset.
 */
export function mergeContracts(global: ContractFile, task: ContractFile): { contract?: Contract; missing?: 'language' } {
  const language = task.language ?? global.language;
  if (!language) return { missing: 'language' };
  const pick = <K extends keyof typeof CONTRACT_DEFAULTS>(k: K) =>
    (task[k] ?? global[k] ?? CONTRACT_DEFAULTS[k]) as (typeof CONTRACT_DEFAULTS)[K];
  const stages: Record<string, StageOverride> = { ...global.stages };
  for (const [name, o] of Object.entries(task.stages ?? {})) stages[name] = { ...stages[name], ...o };
  return {
    contract: {
      language,
      allowed_files: [...pick('allowed_files')],
      forbidden_files: [...pick('forbidden_files')],
      required_test_coverage: pick('required_test_coverage'),
      new_dependencies_allowed: pick('new_dependencies_allowed'),
      max_lines_changed: pick('max_lines_changed'),
      ...((task.working_directory ?? global.working_directory) !== undefined
        ? { working_directory: task.working_directory ?? global.working_directory }
        : {}),
      pipeline: task.pipeline ?? global.pipeline,
      stages,
      line_budget_exclude: [...pick('line_budget_exclude')],
      secrets_allowlist: task.secrets_allowlist ?? global.secrets_allowlist ?? {},
      custom_fields: { ...global.custom_fields, ...task.custom_fields },
    },
  };
}
