import { LlmError, type ErrorProvider } from './llm-error';

/** The caller's AbortSignal fired. Never retried. */
export class LlmAbortedError extends LlmError {
  constructor(provider: ErrorProvider, cause?: unknown) {
    super('LLM_ABORTED', `The ${provider} request was aborted by the caller.`, {
      provider,
      isRetryable: false,
      cause,
    });
    this.name = 'LlmAbortedError';
  }
}
