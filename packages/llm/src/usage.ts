import { z } from 'zod';
import type { ProviderName, TokenUsage } from './provider';

/** Price of one model in US dollars per million tokens, as written in `llm.prices`. */
export const ModelPriceSchema = z.strictObject({
  input_per_mtok: z.number().nonnegative(),
  output_per_mtok: z.number().nonnegative(),
});
export type ModelPrice = z.infer<typeof ModelPriceSchema>;

/** `llm.prices`: model id → price. Factory ships no prices; they change too often. */
export const PriceTableSchema = z.record(z.string().min(1), ModelPriceSchema);
export type PriceTable = z.infer<typeof PriceTableSchema>;

/** What one request used and (when the model has a price) cost. */
export interface UsageRecord {
  provider: ProviderName;
  model: string;
  inputTokens: number;
  outputTokens: number;
  latencyMs: number;
  /** US dollars; undefined when no price is known for the model (unknown is not free). */
  costUsd?: number;
}

/**
 * The estimated cost, or undefined when none of `models` has a price. Several names are
 * tried because providers answer with a dated id (`gpt-4o-2024-08-06`) for the alias asked for.
 */
export function estimateCost(usage: TokenUsage, prices: PriceTable, ...models: (string | undefined)[]): number | undefined {
  for (const model of models) {
    const price = model === undefined ? undefined : prices[model];
    if (price) return (usage.inputTokens * price.input_per_mtok + usage.outputTokens * price.output_per_mtok) / 1_000_000;
  }
  return undefined;
}

export interface UsageInput {
  provider: ProviderName;
  /** The model that answered. */
  model: string;
  /** The model asked for, tried for a price when the answering one has none. */
  requestedModel?: string;
  usage: TokenUsage;
  latencyMs: number;
}

export function usageRecord(input: UsageInput, prices: PriceTable): UsageRecord {
  return {
    provider: input.provider,
    model: input.model,
    inputTokens: input.usage.inputTokens,
    outputTokens: input.usage.outputTokens,
    latencyMs: input.latencyMs,
    costUsd: estimateCost(input.usage, prices, input.model, input.requestedModel),
  };
}

export interface UsageTotals {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  latencyMs: number;
  /** Undefined as soon as one record has no cost: a partial sum would understate it. */
  costUsd?: number;
}

/** Adds up usage records, e.g. for one pipeline run. */
export function totalUsage(records: readonly UsageRecord[]): UsageTotals {
  let cost: number | undefined = 0;
  const totals = { requests: records.length, inputTokens: 0, outputTokens: 0, latencyMs: 0 };
  for (const r of records) {
    totals.inputTokens += r.inputTokens;
    totals.outputTokens += r.outputTokens;
    totals.latencyMs += r.latencyMs;
    cost = cost === undefined || r.costUsd === undefined ? undefined : cost + r.costUsd;
  }
  return { ...totals, costUsd: cost };
}
