import { LlmError, type ErrorProvider } from './llm-error';

/** The `llm:` section of the config is invalid; the message lists every problem as `field: message`. */
export class LlmConfigError extends LlmError {
  readonly problems: readonly { field: string; message: string }[];

  constructor(provider: ErrorProvider, problems: readonly { field: string; message: string }[]) {
    super('LLM_CONFIG', problems.map((p) => `${p.field}: ${p.message}`).join('\n'), {
      provider,
      isRetryable: false,
    });
    this.name = 'LlmConfigError';
    this.problems = problems;
  }
}
