import { parseLlmConfig, resolveLlmConfig, type ResolvedLlmConfig } from './config';
import { LlmMissingApiKeyError } from './errors/missing-api-key-error';
import { withDefaults } from './middleware/with-defaults';
import { withRateLimit } from './middleware/with-rate-limit';
import { withRedaction } from './middleware/with-redaction';
import { withRetry } from './middleware/with-retry';
import { withTimeout } from './middleware/with-timeout';
import { withUsage } from './middleware/with-usage';
import type { FetchFunction, LanguageModel } from './provider';
import { createAnthropic } from './providers/anthropic';
import { createGemini } from './providers/gemini';
import { createOllama } from './providers/ollama';
import { createOpenAI } from './providers/openai';
import { createRateLimiter } from './rate-limit';
import { Redactor } from './redact';
import type { RetryClock, RetryInfo } from './retry';
import { lookupSecret, type Env, type Keyring } from './secrets';
import type { UsageRecord } from './usage';

export interface CreateLanguageModelOptions {
  /** Environment variables to read the API key from (pass `process.env` at the edge). */
  env: Env;
  fetch?: FetchFunction;
  /** The OS keyring unless given. */
  keyring?: Keyring;
  /** Receives the secrets looked up, so the caller can redact its own logs with the same values. */
  redactor?: Redactor;
  /** Called with tokens, latency and estimated cost after each successful call. */
  onUsage?: (record: UsageRecord) => void;
  onRetry?: (info: RetryInfo) => void;
  /** Sleep, clock and jitter for the retry waits (tests). */
  clock?: Partial<RetryClock>;
  /** Shortens the rate-limit window below one minute (tests). */
  rateLimitIntervalMs?: number;
}

/**
 * Builds the configured provider and wraps it, outermost first, in: redaction → usage →
 * timeout → retry → rate limit → config defaults → provider. So a call is bounded by
 * llm.timeout_seconds as a whole, each retry attempt waits for the rate limiter, and no
 * error leaves without its secrets removed. Rejects with LlmConfigError for an invalid
 * config and LlmMissingApiKeyError when the key named by llm.api_key_name is nowhere.
 */
export async function createLanguageModel(config: unknown, options: CreateLanguageModelOptions): Promise<LanguageModel> {
  const resolved = resolveLlmConfig(parseLlmConfig(config));
  const redactor = options.redactor ?? new Redactor();
  const apiKey = await findApiKey(resolved, options);
  if (apiKey !== undefined && resolved.apiKeyName) redactor.add(resolved.apiKeyName, apiKey);

  let model = providerFor(resolved, apiKey, options.fetch);
  model = withDefaults(model, { maxOutputTokens: resolved.maxOutputTokens, temperature: resolved.temperature });
  model = withRateLimit(
    model,
    createRateLimiter({
      requestsPerMinute: resolved.requestsPerMinute,
      maxConcurrent: resolved.maxConcurrent,
      intervalMs: options.rateLimitIntervalMs,
    }),
  );
  model = withRetry(model, { policy: { maxRetries: resolved.maxRetries }, clock: options.clock, onRetry: options.onRetry });
  model = withTimeout(model, resolved.timeoutMs);
  if (options.onUsage) model = withUsage(model, resolved.prices, options.onUsage);
  return withRedaction(model, redactor);
}

async function findApiKey(config: ResolvedLlmConfig, options: CreateLanguageModelOptions): Promise<string | undefined> {
  if (!config.apiKeyName) return undefined;
  const found = await lookupSecret(config.apiKeyName, { env: options.env, keyring: options.keyring });
  if (found.found) return found.value;
  throw new LlmMissingApiKeyError(config.provider, config.apiKeyName, found.keyringProblem);
}

function providerFor(config: ResolvedLlmConfig, apiKey: string | undefined, fetch?: FetchFunction): LanguageModel {
  const common = { model: config.model, baseURL: config.baseUrl, fetch, apiKeyName: config.apiKeyName };
  switch (config.provider) {
    case 'openai':
      return createOpenAI({ ...common, apiKey: apiKey ?? '' });
    case 'anthropic':
      return createAnthropic({ ...common, apiKey: apiKey ?? '' });
    case 'gemini':
      return createGemini({ ...common, apiKey: apiKey ?? '' });
    case 'ollama':
      return createOllama({ ...common, apiKey });
  }
}
