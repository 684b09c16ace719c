import { z } from 'zod';
import { ValidationError } from '../domain/errors';
import { StageNameSchema } from '../domain/slug-schema';
import { parseWith } from '../domain/zod-problems';
import { validateGlob } from '../repo/glob';

/**
 * Files TCR's relaxed variant keeps on a revert (globs from the workspace's root): the usual
 * homes of tests in the languages Factory knows.
 */
export const DEFAULT_TEST_PATTERNS: readonly string[] = [
  '**/*.test.*',
  '**/*.spec.*',
  '**/*_test.*',
  '**/test_*.py',
  '**/test/**',
  '**/tests/**',
  '**/__tests__/**',
  '**/testdata/**',
];

const Glob = z.string().superRefine((v, ctx) => {
  const r = validateGlob(v);
  if (!r.ok) ctx.addIssue({ code: 'custom', message: r.error, input: v });
});

/** The `tcr:` section of `.factory/config.yaml`; the executor's options override it. */
export const TcrSettingsSchema = z
  .object({
    /** The stages whose failure means "tests failed" (default: unit-test). What they need runs first, as the build. */
    stages: z.array(StageNameSchema).min(1).default(['unit-test']),
    /** relaxed: a revert keeps test files; strict: it reverts everything. */
    variant: z.enum(['relaxed', 'strict']).default('relaxed'),
    test_patterns: z.array(Glob).default([...DEFAULT_TEST_PATTERNS]),
    /** Cycles a loop (watch mode, an agent) may fail before it gives up. */
    max_attempts: z.number().int().min(1).max(10_000).default(1),
    /** Watch mode: quiet time after the last file change before a cycle starts. */
    debounce_ms: z.number().int().min(0).max(60_000).default(400),
  })
  .strict();
export type TcrSettings = z.infer<typeof TcrSettingsSchema>;
export type TcrOverrides = Partial<TcrSettings>;

/** The settings from config.yaml's `tcr:` section with `overrides` on top; throws naming `tcr.<field>`. */
export function resolveTcrSettings(section: unknown, overrides: TcrOverrides = {}): TcrSettings {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  const r = parseWith(TcrSettingsSchema, { ...((section as object | undefined) ?? {}), ...defined }, '.factory/config.yaml');
  if (!r.value) throw new ValidationError(r.errors.map((p) => ({ ...p, field: p.field === '(document)' ? 'tcr' : `tcr.${p.field}` })));
  return r.value;
}
