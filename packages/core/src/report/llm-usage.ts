import path from 'node:path';
import { z } from 'zod';
import type { HistoryEvent } from './task-details';
import { readTextIfExists } from '../store/atomic';
import { taskPaths } from '../store/paths';
import { parseYaml } from '../store/yaml';

/** `metrics.yaml` `llm.<mode>`, as the LLM modes write it (lenient: read back). */
const ModeMetricsSchema = z.object({
  runs: z.number().default(0),
  calls: z.number().default(0),
  input_tokens: z.number().default(0),
  output_tokens: z.number().default(0),
  latency_ms: z.number().default(0),
  /** null: some call had no price, so the sum is unknown. */
  cost_usd: z.number().nullable().optional(),
  last_run_at: z.string().optional(),
  last_outcome: z.string().optional(),
});
export type ModeUsage = z.infer<typeof ModeMetricsSchema> & { mode: string };

/** One model request, from its `llm_call` audit event. */
export interface LlmCall {
  at: string;
  mode?: string;
  model?: string;
  input_tokens?: number;
  output_tokens?: number;
  latency_ms?: number;
  cost_usd?: number;
}

export interface LlmUsage {
  /** Per mode (review, change-order, …), then `total`. */
  modes: ModeUsage[];
  total?: ModeUsage;
  calls: LlmCall[];
}

/**
 * The task's LLM usage: the running totals in `metrics.yaml` (`llm:`) and each call recorded in
 * the audit trail. Undefined when the task never used a model. What cannot be read is a problem.
 */
export function llmUsage(root: string, slug: string, events: readonly HistoryEvent[], problems: string[]): LlmUsage | undefined {
  const file = taskPaths(slug).metrics;
  const text = readTextIfExists(path.join(root, file));
  const modes: ModeUsage[] = [];
  let total: ModeUsage | undefined;
  if (text !== undefined) {
    const y = parseYaml(text, file);
    if (y.errors.length) problems.push(...y.errors.map((p) => `${p.file}: ${p.field}: ${p.message}`));
    const llm = (y.data as { llm?: unknown } | undefined)?.llm;
    if (llm && typeof llm === 'object' && !Array.isArray(llm)) {
      for (const [mode, value] of Object.entries(llm)) {
        const r = ModeMetricsSchema.safeParse(value);
        if (!r.success) {
          problems.push(`${file}: llm.${mode}: expected runs, calls, input_tokens, output_tokens, latency_ms (numbers)`);
          continue;
        }
        if (mode === 'total') total = { mode, ...r.data };
        else modes.push({ mode, ...r.data });
      }
    }
  }
  const n = (v: unknown) => (typeof v === 'number' ? v : undefined);
  const s = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const calls: LlmCall[] = events
    .filter((e) => e.action === 'llm_call')
    .map((e) => {
      const d = e.details ?? {};
      const model = [s(d.provider), s(d.model)].filter(Boolean).join('/');
      const call: LlmCall = { at: e.ts };
      if (s(d.mode)) call.mode = s(d.mode);
      if (model) call.model = model;
      for (const k of ['input_tokens', 'output_tokens', 'latency_ms', 'cost_usd'] as const) if (n(d[k]) !== undefined) call[k] = n(d[k]);
      return call;
    });
  if (!modes.length && !total && !calls.length) return undefined;
  return { modes: modes.sort((a, b) => a.mode.localeCompare(b.mode)), ...(total ? { total } : {}), calls };
}
