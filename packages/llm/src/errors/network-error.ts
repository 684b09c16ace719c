import type { ProviderName } from '../provider';
import { LlmError } from './llm-error';

/** No HTTP response at all: refused connection, DNS failure, reset before the headers. Retryable. */
export class LlmNetworkError extends LlmError {
  constructor(provider: ProviderName, url: string, cause?: unknown) {
    super('LLM_NETWORK', `Could not reach the ${provider} API at ${url}: ${describeCause(cause)}. Check llm.base_url and the network.`, {
      provider,
      isRetryable: true,
      cause,
    });
    this.name = 'LlmNetworkError';
  }
}

/** The most specific message in a cause chain (undici hides the useful one in `cause`). */
export function describeCause(cause: unknown): string {
  let current: unknown = cause;
  let message = 'unknown error';
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth++) {
    if (typeof current === 'object' && 'message' in current && typeof current.message === 'string') {
      if (current.message !== '') message = current.message;
      current = (current as { cause?: unknown }).cause;
    } else {
      if (typeof current === 'string') message = current;
      break;
    }
  }
  return message;
}
