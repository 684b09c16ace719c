import { LlmApiError, hintForStatus } from '../errors/api-error';
import type { ProviderName } from '../provider';
import { retryHints, type HeaderReader } from './retry-hints';

const MAX_BODY_CHARS = 500;

/**
 * The human message inside an error body. Covers the documented shapes:
 * OpenAI and Gemini `{ error: { message } }`, Anthropic `{ type: 'error', error: { message } }`,
 * Ollama `{ error: "…" }`.
 */
export function errorMessageFromBody(body: unknown): string | undefined {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as { error?: unknown; message?: unknown };
  if (typeof v.error === 'string') return v.error;
  if (typeof v.error === 'object' && v.error !== null) {
    const inner = v.error as { message?: unknown };
    if (typeof inner.message === 'string') return inner.message;
  }
  if (typeof v.message === 'string') return v.message;
  return undefined;
}

export function truncate(text: string, max = MAX_BODY_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

export interface ApiErrorInput {
  provider: ProviderName;
  status?: number;
  headers?: HeaderReader | null;
  body?: string;
  /** A delay the body asked for, when the provider puts it there (Gemini's RetryInfo). */
  retryAfterMs?: number;
  cause?: unknown;
}

/** Builds the LlmApiError for an error status: provider message, status, retry hints, fix hint. */
export function apiError(input: ApiErrorInput): LlmApiError {
  const hints = retryHints(input.headers);
  const fromBody = input.body === undefined ? undefined : errorMessageFromBody(input.body);
  const detail = fromBody ?? (input.body ? truncate(input.body) : 'no error message');
  const status = input.status === undefined ? 'an error' : `HTTP ${input.status}`;
  return new LlmApiError(`The ${input.provider} API answered ${status}: ${detail}.${hintForStatus(input.status)}`, {
    provider: input.provider,
    statusCode: input.status,
    retryAfter: hints.retryAfter,
    retryAfterMs: input.retryAfterMs ?? hints.retryAfterMs,
    responseBody: input.body === undefined ? undefined : truncate(input.body),
    cause: input.cause,
  });
}
