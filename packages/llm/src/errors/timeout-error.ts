import type { ProviderName } from '../provider';
import { LlmError } from './llm-error';

/**
 * The call took longer than llm.timeout_seconds (retries and rate-limit waits included).
 * Not retried: the timeout is the bound on the whole call.
 */
export class LlmTimeoutError extends LlmError {
  readonly timeoutMs: number;

  constructor(provider: ProviderName, timeoutMs: number, cause?: unknown) {
    super(
      'LLM_TIMEOUT',
      `The ${provider} request timed out after ${formatSeconds(timeoutMs)} (llm.timeout_seconds). ` +
        'Raise llm.timeout_seconds, or ask for a shorter answer with llm.max_output_tokens.',
      { provider, isRetryable: false, cause },
    );
    this.name = 'LlmTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}
