import path from 'node:path';
import { z } from 'zod';
import { invalid, valid, type Validated } from '../domain/errors';
import { parseWith } from '../domain/zod-problems';
import { readDocumentIfExists, readTextIfExists, toJson, writeFileAtomicSync } from '../store/atomic';
import { taskPaths } from '../store/paths';
import { parseYaml, toYaml } from '../store/yaml';
import { RolloutStrategySchema } from './config';
import { flagdDocument, flagKeyOf, servedPercent } from './flagd';

export const ROLLOUT_PHASES = ['starting', 'active', 'holding', 'complete', 'rolled_back', 'aborted'] as const;

export const HealthSampleSchema = z.object({
  healthy: z.boolean(),
  error_rate: z.number().optional(),
  latency_ms: z.number().optional(),
  source: z.string(),
  message: z.string(),
});
export type HealthSample = z.infer<typeof HealthSampleSchema>;

export const RolloutHistoryEntrySchema = z.object({
  at: z.string(),
  by: z.string(),
  action: z.enum(['approved', 'advanced', 'promoted', 'held', 'rolled_back', 'aborted', 'recovered']),
  from: z.number(),
  to: z.number(),
  health: HealthSampleSchema.optional(),
});
export type RolloutHistoryEntry = z.infer<typeof RolloutHistoryEntrySchema>;

/** `.factory/<slug>/rollout.yaml`: where the rollout is. Lenient on read (fields are only added). */
export const RolloutStateSchema = z.object({
  version: z.literal(1),
  flag_key: z.string(),
  strategy: RolloutStrategySchema,
  steps: z.array(z.number()),
  /** The percentage served now (the flag file says the same). */
  percent: z.number().min(0).max(100),
  /**
   * starting: approved, first step not yet served; active: between steps; holding: canary at its
   * last configured step, waiting for a manual promote (--to); complete: 100 %; rolled_back:
   * unhealthy, back to 0 %; aborted: --abort, back to 0 %.
   */
  phase: z.enum(ROLLOUT_PHASES),
  approved_by: z.string(),
  approved_at: z.string(),
  updated_at: z.string(),
  history: z.array(RolloutHistoryEntrySchema),
});
export type RolloutState = z.infer<typeof RolloutStateSchema>;

/** Reads `rollout.yaml`; `value` undefined and no errors when there is none. */
export function loadRolloutState(root: string, slug: string): Validated<RolloutState | undefined> {
  const file = taskPaths(slug).rollout;
  const text = readDocumentIfExists(path.join(root, file), file);
  if (text === undefined) return { value: undefined, errors: [], warnings: [] };
  const y = parseYaml(text, file);
  if (y.errors.length) return invalid(y.errors);
  const r = parseWith(RolloutStateSchema, y.data, file);
  return r.value ? valid(r.value) : invalid(r.errors);
}

export function saveRolloutState(root: string, slug: string, state: RolloutState): void {
  writeFileAtomicSync(path.join(root, taskPaths(slug).rollout), toYaml(state));
}

/** The percentage the flag file serves (undefined: no flag file, or not one Factory wrote). */
export function readServedPercent(root: string, slug: string): number | undefined {
  const text = readTextIfExists(path.join(root, taskPaths(slug).flags));
  if (text === undefined) return undefined;
  try {
    return servedPercent(JSON.parse(text), flagKeyOf(slug));
  } catch {
    return undefined;
  }
}

/** Writes the flagd flag file serving `percent` % (atomically: flagd never reads half a file). */
export function writeFlag(root: string, slug: string, percent: number, strategy: string): void {
  const doc = flagdDocument(flagKeyOf(slug), percent, { factoryTask: slug, strategy, percent });
  writeFileAtomicSync(path.join(root, taskPaths(slug).flags), toJson(doc));
}
