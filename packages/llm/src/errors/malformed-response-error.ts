import type { ProviderName } from '../provider';
import { LlmError } from './llm-error';

/**
 * The provider answered 2xx, but not in its documented format: invalid JSON, or JSON missing
 * the fields we read. Never retried: the same request would most likely get the same answer.
 */
export class LlmMalformedResponseError extends LlmError {
  constructor(provider: ProviderName, detail: string, cause?: unknown) {
    super(
      'LLM_MALFORMED_RESPONSE',
      `The ${provider} API returned a response in an unexpected format: ${detail}. ` +
        "If llm.base_url points at a proxy or compatible server, check that it speaks the provider's API.",
      { provider, isRetryable: false, cause },
    );
    this.name = 'LlmMalformedResponseError';
  }
}
