import type { ProviderName } from '../provider';
import { LlmError } from './llm-error';

/** HTTP statuses worth another attempt: timeout, conflict, rate limit, and every 5xx (529 = overloaded). */
export function isRetryableStatus(status: number | undefined): boolean {
  if (status === undefined) return false;
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

export interface LlmApiErrorOptions {
  provider: ProviderName;
  statusCode?: number;
  /** The raw `Retry-After` header (seconds or an HTTP date), read by the retry policy. */
  retryAfter?: string;
  /** A delay the server asked for in milliseconds (`retry-after-ms`, Gemini's `RetryInfo`). */
  retryAfterMs?: number;
  /** The start of the response body, for diagnosis. Redacted before it leaves the package. */
  responseBody?: string;
  cause?: unknown;
}

/** The provider answered with an error status (or an error event inside a stream). */
export class LlmApiError extends LlmError {
  readonly retryAfter?: string;
  readonly retryAfterMs?: number;
  responseBody?: string;

  constructor(message: string, options: LlmApiErrorOptions) {
    super('LLM_API', message, {
      provider: options.provider,
      statusCode: options.statusCode,
      isRetryable: isRetryableStatus(options.statusCode),
      cause: options.cause,
    });
    this.name = 'LlmApiError';
    this.retryAfter = options.retryAfter;
    this.retryAfterMs = options.retryAfterMs;
    this.responseBody = options.responseBody;
  }
}

/** What to tell the user for an error status, on top of the provider's own message. */
export function hintForStatus(status: number | undefined): string {
  switch (status) {
    case 401:
      return ' Check that the API key is valid (llm.api_key_name names where it is read from).';
    case 403:
      return ' The API key is not allowed to use this model or endpoint.';
    case 404:
      return ' Check llm.model and llm.base_url.';
    case 429:
      return ' The provider is rate limiting; lower llm.requests_per_minute or llm.max_concurrent.';
    default:
      return '';
  }
}
