import { LlmAbortedError } from '../errors/aborted-error';
import { LlmError, isLlmError } from '../errors/llm-error';
import { LlmMalformedResponseError } from '../errors/malformed-response-error';
import { describeCause } from '../errors/network-error';
import { LlmStreamInterruptedError } from '../errors/stream-interrupted-error';
import type { ProviderName } from '../provider';

/** An error's `name`, read without `instanceof` (errors from fetch come from another realm under Jest). */
export function errorName(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const name = (error as { name?: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}

/**
 * Any failure of a request into an LlmError. Our own errors pass through; an aborted signal
 * wins over whatever the transport threw; invalid JSON is a malformed response.
 */
export function toLlmError(provider: ProviderName, error: unknown, signal?: AbortSignal): LlmError {
  if (isLlmError(error)) return error;
  if (signal?.aborted) return new LlmAbortedError(provider, signal.reason);
  const name = errorName(error);
  if (name === 'AbortError') return new LlmAbortedError(provider, error);
  if (name === 'SyntaxError') {
    return new LlmMalformedResponseError(provider, `the body is not valid JSON (${describeCause(error)})`, error);
  }
  return new LlmError('LLM_UNEXPECTED', `Unexpected error in the ${provider} provider: ${describeCause(error)}.`, {
    provider,
    cause: error,
  });
}

/**
 * A failure while reading a stream: a cut connection is an interrupted stream (retryable
 * only before anything was delivered); invalid JSON in an event is a malformed response.
 */
export function streamFailure(provider: ProviderName, error: unknown, signal?: AbortSignal): LlmError {
  if (isLlmError(error)) return error;
  if (signal?.aborted) return new LlmAbortedError(provider, signal.reason);
  if (errorName(error) === 'SyntaxError') {
    return new LlmMalformedResponseError(provider, `a stream event is not valid JSON (${describeCause(error)})`, error);
  }
  return new LlmStreamInterruptedError(provider, `the connection closed mid-stream (${describeCause(error)})`, error);
}

/** The stream ended cleanly but without the provider's final event. */
export function endedEarly(provider: ProviderName, signal?: AbortSignal): LlmError {
  if (signal?.aborted) return new LlmAbortedError(provider, signal.reason);
  return new LlmStreamInterruptedError(provider, 'the stream ended before its final event');
}
