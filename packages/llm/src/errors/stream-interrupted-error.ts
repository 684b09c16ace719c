import type { ProviderName } from '../provider';
import { LlmError } from './llm-error';

/**
 * A streamed response stopped before its final event: the connection dropped, or the server
 * closed it early. Retryable, but the retry layer only retries while nothing has been delivered.
 */
export class LlmStreamInterruptedError extends LlmError {
  constructor(provider: ProviderName, detail: string, cause?: unknown) {
    super('LLM_STREAM_INTERRUPTED', `The ${provider} response stream was interrupted: ${detail}.`, {
      provider,
      isRetryable: true,
      cause,
    });
    this.name = 'LlmStreamInterruptedError';
  }
}
