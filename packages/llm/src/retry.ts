import pRetry from 'p-retry';
import { LlmAbortedError } from './errors/aborted-error';
import { LlmError, isLlmError, type ErrorProvider } from './errors/llm-error';
import { describeCause } from './errors/network-error';

/**
 * One retry policy for all four providers (the SDKs run with `maxRetries: 0`).
 * Retried: errors whose `isRetryable` is set, i.e. HTTP 408/409/429/5xx, network failures and
 * streams cut before their first chunk. Never retried: 400/401/403/404 and other 4xx, malformed
 * responses, aborts, timeouts, missing keys.
 */
export interface RetryPolicy {
  /** Attempts after the first (llm.max_retries). */
  maxRetries: number;
  /** The first backoff wait, doubled (by `backoffFactor`) for each further attempt. */
  initialDelayMs: number;
  backoffFactor: number;
  /** Cap on any single wait, a server-requested one included. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 2,
  initialDelayMs: 1000,
  backoffFactor: 2,
  maxDelayMs: 60_000,
};

/** The clock, randomness and sleep the policy uses; injectable so tests do not wait. */
export interface RetryClock {
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  now: () => number;
  /** Uniform in [0, 1), for jitter. */
  random: () => number;
}

export const systemClock: RetryClock = { sleep, now: () => Date.now(), random: Math.random };

export interface RetryInfo {
  /** The attempt that failed, from 1. */
  attempt: number;
  delayMs: number;
  error: LlmError;
}

export interface RetryOptions {
  policy?: Partial<RetryPolicy>;
  clock?: Partial<RetryClock>;
  signal?: AbortSignal;
  /** Named in the error when the wait between attempts is aborted. */
  provider?: ErrorProvider;
  onRetry?: (info: RetryInfo) => void;
}

export function isRetryable(error: unknown): error is LlmError {
  return isLlmError(error) && error.isRetryable;
}

/** `Retry-After` as milliseconds: delay seconds, or an HTTP date relative to `now`. */
export function parseRetryAfter(value: string, now: number): number | undefined {
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The wait the server asked for, if any: `retry-after-ms` (or Gemini's RetryInfo) first, then `Retry-After`. */
export function serverDelayMs(error: unknown, now: number): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { retryAfterMs, retryAfter } = error as { retryAfterMs?: unknown; retryAfter?: unknown };
  if (typeof retryAfterMs === 'number' && retryAfterMs >= 0) return retryAfterMs;
  return typeof retryAfter === 'string' ? parseRetryAfter(retryAfter, now) : undefined;
}

/**
 * How long to wait after failed attempt number `attempt` (from 1): the server's wait if it
 * gave one, else exponential backoff with "equal jitter" (half fixed, half random); capped.
 */
export function retryDelayMs(error: unknown, attempt: number, policy: RetryPolicy, clock: Pick<RetryClock, 'now' | 'random'>): number {
  const requested = serverDelayMs(error, clock.now());
  if (requested !== undefined) return Math.min(requested, policy.maxDelayMs);
  const backoff = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.backoffFactor ** (attempt - 1));
  return Math.round(backoff / 2 + (clock.random() * backoff) / 2);
}

/**
 * Runs `fn` until it succeeds, fails with an error that is not retryable, or the retries are
 * used up; then throws the last error. Attempt counting is p-retry's; the waits are ours
 * (p-retry's own timeouts are zero) so `Retry-After` and the injected clock are honoured.
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
  const clock = { ...systemClock, ...options.clock };
  const provider = options.provider ?? 'unknown';
  try {
    return await pRetry(
      async (attempt) => {
        try {
          return await fn(attempt);
        } catch (error) {
          throw isLlmError(error) ? error : unexpected(provider, error);
        }
      },
      {
        retries: policy.maxRetries,
        factor: 1,
        minTimeout: 0,
        maxTimeout: 0,
        randomize: false,
        shouldRetry: (error) => isRetryable(error),
        onFailedAttempt: async (error) => {
          // p-retry also calls this for the last attempt and for errors it will not retry.
          if (!isRetryable(error) || error.retriesLeft <= 0) return;
          const delayMs = retryDelayMs(error, error.attemptNumber, policy, clock);
          options.onRetry?.({ attempt: error.attemptNumber, delayMs, error });
          await clock.sleep(delayMs, options.signal);
        },
      },
    );
  } catch (error) {
    if (options.signal?.aborted && !isLlmError(error)) throw new LlmAbortedError(provider, options.signal.reason);
    throw error;
  }
}

/** A timer that an AbortSignal cancels (rejecting with the signal's reason). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function unexpected(provider: ErrorProvider, error: unknown): LlmError {
  return new LlmError('LLM_UNEXPECTED', `Unexpected error: ${describeCause(error)}.`, { provider, cause: error });
}
