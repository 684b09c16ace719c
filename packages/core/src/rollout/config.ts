import { z } from 'zod';
import { invalid, valid, type Validated } from '../domain/errors';
import { parseWith } from '../domain/zod-problems';
import { GLOBAL_FILES } from '../store/paths';

export const ROLLOUT_STRATEGIES = ['immediate', 'gradual', 'canary'] as const;
export const RolloutStrategySchema = z.enum(ROLLOUT_STRATEGIES);
export type RolloutStrategy = z.infer<typeof RolloutStrategySchema>;

/** Percentages of targeting keys served the new code, in order; 0.01 % resolution. */
const Steps = z
  .array(z.number().gt(0).max(100).multipleOf(0.01))
  .min(1)
  .refine((s) => s.every((p, i) => i === 0 || p > s[i - 1]), { message: 'expected percentages that only go up, e.g. [1, 10, 50, 100]' });

export const HealthConfigSchema = z
  .object({
    /** A shell command (run as written, in the workspace root) that prints JSON `{"error_rate": …, "latency_ms": …}`; a non-zero exit is unhealthy. */
    command: z.string().trim().min(1).optional(),
    /** An HTTP(S) endpoint answering GET with that JSON; `{slug}`, `{flag}` and `{percent}` are filled in. */
    url: z.url({ protocol: /^https?$/ }).optional(),
    timeout_seconds: z.number().int().min(1).max(600).default(30),
    /** The highest healthy error rate, a fraction (0.01 = 1 % of requests failing). */
    max_error_rate: z.number().min(0).max(1).default(0.01),
    /** The highest healthy latency in milliseconds. */
    max_latency_ms: z.number().min(0).default(500),
  })
  .strict()
  .refine((h) => Boolean(h.command) !== Boolean(h.url), { message: 'expected exactly one of "command" and "url"' });
export type HealthConfig = z.infer<typeof HealthConfigSchema>;

export const MetricsConfigSchema = z
  .object({
    /** A Prometheus text file (node_exporter's textfile collector), relative to the root or absolute. */
    prometheus_file: z.string().min(1).optional(),
    statsd: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(1).max(65_535),
        prefix: z
          .string()
          .regex(/^[A-Za-z0-9_.-]*$/, 'expected letters, digits, "_", "." and "-"')
          .default('factory'),
      })
      .strict()
      .optional(),
  })
  .strict();
export type MetricsConfig = z.infer<typeof MetricsConfigSchema>;

/** `.factory/config.yaml` `rollout:`. */
export const RolloutConfigSchema = z
  .object({
    strategies: z
      .object({
        gradual: Steps.refine((s) => s.at(-1) === 100, { message: 'expected the last step of gradual to be 100' }).default([
          1, 10, 50, 100,
        ]),
        canary: Steps.default([1]),
      })
      .strict()
      .default({ gradual: [1, 10, 50, 100], canary: [1] }),
    health: HealthConfigSchema.optional(),
    metrics: MetricsConfigSchema.default({}),
  })
  .strict();
export type RolloutConfig = z.infer<typeof RolloutConfigSchema>;

export const DEFAULT_ROLLOUT_CONFIG: RolloutConfig = RolloutConfigSchema.parse({});

/** Validates the `rollout:` section (absent: the defaults); problems name `rollout.<field>`. */
export function parseRolloutConfig(section: unknown, file = GLOBAL_FILES.config): Validated<RolloutConfig> {
  if (section === undefined || section === null) return valid(DEFAULT_ROLLOUT_CONFIG);
  const r = parseWith(RolloutConfigSchema, section, file);
  if (!r.value) return invalid(r.errors.map((p) => ({ ...p, field: p.field === '(document)' ? 'rollout' : `rollout.${p.field}` })));
  return valid(r.value);
}

/** The steps of a strategy: immediate is one step to 100 %. */
export function strategySteps(strategy: RolloutStrategy, config: RolloutConfig): number[] {
  if (strategy === 'immediate') return [100];
  return [...config.strategies[strategy]];
}
