import type { ProviderName } from '../provider';

/** `unknown` only for config errors raised before the provider is known. */
export type ErrorProvider = ProviderName | 'unknown';

export interface LlmErrorOptions {
  provider: ErrorProvider;
  statusCode?: number;
  isRetryable?: boolean;
  cause?: unknown;
}

/**
 * Base class of every error @factory/llm throws on purpose. It has the same shape as
 * `FactoryError` from @factory/core (a stable machine-readable `code`, a message that says
 * what was expected, what was found and how to fix it, and an optional `cause`) so the CLI can
 * map it to an exit code the same way. It does not extend `FactoryError` because core's
 * package entry point is not buildable yet; switching the `extends` is a one-line change.
 *
 * `isRetryable` is the single input the retry policy reads.
 */
export class LlmError extends Error {
  readonly code: string;
  readonly provider: ErrorProvider;
  readonly statusCode?: number;
  readonly isRetryable: boolean;

  constructor(code: string, message: string, options: LlmErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LlmError';
    this.code = code;
    this.provider = options.provider;
    this.statusCode = options.statusCode;
    this.isRetryable = options.isRetryable ?? false;
  }
}

/**
 * True for any LlmError, also across module copies or realms (Jest's ESM sandbox),
 * where `instanceof` alone can be fooled.
 */
export function isLlmError(value: unknown): value is LlmError {
  if (value instanceof LlmError) return true;
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === 'string' && v.code.startsWith('LLM_') && typeof v.isRetryable === 'boolean';
}
