import type { z } from 'zod';

/** Validates an executor's options with its zod schema; prints each problem as `--option: message`. */
export function parseOptions<S extends z.ZodType>(schema: S, raw: unknown, target: string): z.output<S> | undefined {
  const { _: _positional, ...rest } = (raw ?? {}) as Record<string, unknown>;
  const r = schema.safeParse(rest);
  if (r.success) return r.data;
  for (const issue of r.error.issues) console.error(`factory › ${target}: --${issue.path.join('.') || '(options)'}: ${issue.message}`);
  return undefined;
}

export function printWarnings(warnings: readonly string[]): void {
  for (const w of warnings) console.warn(`factory › warning: ${w}`);
}
