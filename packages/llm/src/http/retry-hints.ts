/** Anything with a case-insensitive `get`, such as fetch's `Headers`. */
export interface HeaderReader {
  get(name: string): string | null;
}

export interface RetryHints {
  /** The raw `Retry-After` value: delay seconds or an HTTP date. */
  retryAfter?: string;
  /** `retry-after-ms` (OpenAI and Anthropic send it), in milliseconds. */
  retryAfterMs?: number;
}

/** Reads the headers a server uses to say when to try again. Interpreting them is the retry policy's job. */
export function retryHints(headers: HeaderReader | undefined | null): RetryHints {
  if (!headers || typeof headers.get !== 'function') return {};
  const hints: RetryHints = {};
  const after = headers.get('retry-after');
  if (after !== null && after.trim() !== '') hints.retryAfter = after.trim();
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) hints.retryAfterMs = ms;
  return hints;
}
