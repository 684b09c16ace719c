import type { z } from 'zod';
import { LlmAbortedError } from '../errors/aborted-error';
import { LlmMalformedResponseError } from '../errors/malformed-response-error';
import { LlmNetworkError } from '../errors/network-error';
import { LlmStreamInterruptedError } from '../errors/stream-interrupted-error';
import type { FetchFunction, ProviderName } from '../provider';
import { apiError } from './error-body';

export interface HttpRequest {
  provider: ProviderName;
  fetch: FetchFunction;
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: unknown;
  signal?: AbortSignal;
  /** Extracts a server-requested delay from an error body (Gemini's RetryInfo). */
  retryAfterFromBody?: (body: string) => number | undefined;
}

/**
 * Sends one request and returns the response if its status is 2xx. Otherwise throws an
 * LlmError: aborted (caller's signal), network (no response), or API (error status).
 */
export async function send(req: HttpRequest): Promise<Response> {
  if (req.signal?.aborted) throw new LlmAbortedError(req.provider, req.signal.reason);
  let response: Response;
  try {
    response = await req.fetch(req.url, {
      method: req.method,
      headers: {
        accept: 'application/json',
        ...(req.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...req.headers,
      },
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      signal: req.signal,
    });
  } catch (error) {
    if (req.signal?.aborted) throw new LlmAbortedError(req.provider, req.signal.reason);
    throw new LlmNetworkError(req.provider, req.url, error);
  }
  if (response.ok) return response;
  const body = await response.text().catch(() => '');
  throw apiError({
    provider: req.provider,
    status: response.status,
    headers: response.headers,
    body,
    retryAfterMs: req.retryAfterFromBody?.(body),
  });
}

/** Reads a whole body as text; a connection cut while reading is an interrupted response. */
export async function readText(provider: ProviderName, response: Response, signal?: AbortSignal): Promise<string> {
  try {
    return await response.text();
  } catch (error) {
    if (signal?.aborted) throw new LlmAbortedError(provider, signal.reason);
    throw new LlmStreamInterruptedError(provider, 'the connection closed before the response body was complete', error);
  }
}

/** Parses JSON text, naming the provider when it is not JSON. */
export function parseJson(provider: ProviderName, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason =
      error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error)
        ? String((error as { message: unknown }).message)
        : String(error);
    throw new LlmMalformedResponseError(provider, `the body is not valid JSON (${reason})`, error);
  }
}

/** Checks a parsed body against a lenient schema of the fields we read. */
export function checkShape<S extends z.ZodType>(provider: ProviderName, schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(body)'}: ${i.message}`)
    .join('; ');
  throw new LlmMalformedResponseError(provider, `the body does not have the expected fields (${issues})`);
}

/** Body text → JSON → checked shape, each step with its own clear error. */
export async function readJson<S extends z.ZodType>(
  provider: ProviderName,
  response: Response,
  schema: S,
  signal?: AbortSignal,
): Promise<z.infer<S>> {
  return checkShape(provider, schema, parseJson(provider, await readText(provider, response, signal)));
}
