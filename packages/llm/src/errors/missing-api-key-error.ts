import type { ProviderName } from '../provider';
import { LlmError } from './llm-error';

export const KEYRING_SERVICE = 'factory';

/**
 * No API key could be found under the name the config gives. The message names the config
 * field, the environment variable and the keyring entry, so the fix is in the message.
 */
export class LlmMissingApiKeyError extends LlmError {
  readonly keyName: string;

  constructor(provider: ProviderName, keyName: string, keyringProblem?: string) {
    const keyring = keyringProblem
      ? ` The OS keyring could not be read (${keyringProblem}); where there is no keyring ` +
        '(for example headless Linux without Secret Service), use the environment variable.'
      : '';
    super(
      'LLM_MISSING_API_KEY',
      `No API key for the ${provider} provider: llm.api_key_name is '${keyName}', which is neither ` +
        `in the environment nor in the OS keyring. Set ${keyName} or store it in the OS keyring ` +
        `under service '${KEYRING_SERVICE}', account '${keyName}'.${keyring}`,
      { provider, isRetryable: false },
    );
    this.name = 'LlmMissingApiKeyError';
    this.keyName = keyName;
  }
}
