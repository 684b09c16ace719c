import { z } from 'zod';
import { LlmConfigError } from './errors/config-error';
import { PROVIDER_NAMES, type ProviderName } from './provider';
import { PriceTableSchema } from './usage';
import { ANTHROPIC_DEFAULT_BASE_URL } from './providers/anthropic';
import { GEMINI_DEFAULT_BASE_URL } from './providers/gemini';
import { OLLAMA_DEFAULT_BASE_URL } from './providers/ollama';
import { OPENAI_DEFAULT_BASE_URL } from './providers/openai';

/**
 * The `llm:` section of `.factory/config.yaml`. Users write it, so the schema is strict:
 * an unknown key is an error (a typo such as `max_retry` must not be silently ignored).
 * The key itself never appears here, only the NAME it is looked up by.
 */
export const LlmConfigSchema = z.strictObject({
  provider: z.enum(PROVIDER_NAMES as [ProviderName, ...ProviderName[]]),
  model: z.string().min(1),
  base_url: z.url({ protocol: /^https?$/ }).optional(),
  api_key_name: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name such as OPENAI_API_KEY, not the key itself')
    .optional(),
  timeout_seconds: z.number().positive().max(86_400).optional(),
  max_retries: z.int().min(0).max(10).optional(),
  requests_per_minute: z.int().positive().optional(),
  max_concurrent: z.int().positive().optional(),
  max_output_tokens: z.int().positive().optional(),
  temperature: z.number().min(0).max(2).optional(),
  prices: PriceTableSchema.optional(),
});
export type LlmConfig = z.infer<typeof LlmConfigSchema>;

/** The config with every default filled in for its provider. */
export interface ResolvedLlmConfig {
  provider: ProviderName;
  model: string;
  baseUrl: string;
  /** Undefined only for Ollama without a key (a local Ollama needs none). */
  apiKeyName?: string;
  timeoutMs: number;
  maxRetries: number;
  requestsPerMinute?: number;
  maxConcurrent?: number;
  maxOutputTokens?: number;
  temperature?: number;
  prices: z.infer<typeof PriceTableSchema>;
}

interface ProviderDefaults {
  baseUrl: string;
  apiKeyName?: string;
  timeoutSeconds: number;
  maxConcurrent: number;
}

/** Cloud APIs allow parallel calls; a local Ollama serves one at a time and is slower. */
export const PROVIDER_DEFAULTS: Record<ProviderName, ProviderDefaults> = {
  openai: { baseUrl: OPENAI_DEFAULT_BASE_URL, apiKeyName: 'OPENAI_API_KEY', timeoutSeconds: 600, maxConcurrent: 4 },
  anthropic: { baseUrl: ANTHROPIC_DEFAULT_BASE_URL, apiKeyName: 'ANTHROPIC_API_KEY', timeoutSeconds: 600, maxConcurrent: 4 },
  gemini: { baseUrl: GEMINI_DEFAULT_BASE_URL, apiKeyName: 'GEMINI_API_KEY', timeoutSeconds: 600, maxConcurrent: 4 },
  ollama: { baseUrl: OLLAMA_DEFAULT_BASE_URL, timeoutSeconds: 900, maxConcurrent: 1 },
};

export const DEFAULT_MAX_RETRIES = 2;

/** Applies the provider's defaults to a validated config. */
export function resolveLlmConfig(config: LlmConfig): ResolvedLlmConfig {
  const defaults = PROVIDER_DEFAULTS[config.provider];
  return {
    provider: config.provider,
    model: config.model,
    baseUrl: config.base_url ?? defaults.baseUrl,
    apiKeyName: config.api_key_name ?? defaults.apiKeyName,
    timeoutMs: (config.timeout_seconds ?? defaults.timeoutSeconds) * 1000,
    maxRetries: config.max_retries ?? DEFAULT_MAX_RETRIES,
    requestsPerMinute: config.requests_per_minute,
    maxConcurrent: config.max_concurrent ?? defaults.maxConcurrent,
    maxOutputTokens: config.max_output_tokens,
    temperature: config.temperature,
    prices: config.prices ?? {},
  };
}

/**
 * Validates raw data as the `llm:` section. Throws LlmConfigError naming every problem as
 * `llm.<field>: <message>`; callers holding the file name can use LlmConfigSchema directly.
 */
export function parseLlmConfig(data: unknown): LlmConfig {
  const parsed = LlmConfigSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const provider = PROVIDER_NAMES.find((p) => p === (data as { provider?: unknown } | null)?.provider) ?? 'unknown';
  throw new LlmConfigError(
    provider,
    parsed.error.issues.map((issue) => ({
      field: ['llm', ...issue.path.map(String)].join('.'),
      message: issue.message,
    })),
  );
}
