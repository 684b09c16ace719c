import { LlmError, isLlmError, type ErrorProvider } from './errors/llm-error';

/**
 * Masks of key-shaped strings, applied after the known secret values: OpenAI (`sk-…`,
 * `sk-proj-…`), Anthropic (`sk-ant-…`) and Google (`AIza…`) keys, and bearer tokens.
 * They catch keys we were never told about, such as a key echoed back by a proxy.
 */
const KEY_PATTERNS: readonly { pattern: RegExp; replacement: string }[] = [
  { pattern: /\bBearer\s+[A-Za-z0-9._~+/-]{8,}=*/g, replacement: 'Bearer [REDACTED]' },
  { pattern: /(?<![A-Za-z0-9_-])sk-(?:ant-|proj-)?[A-Za-z0-9_-]{16,}/g, replacement: '[REDACTED]' },
  { pattern: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{30,}/g, replacement: '[REDACTED]' },
];

/** Shorter values are not treated as secrets: masking them would mangle ordinary text. */
const MIN_SECRET_LENGTH = 4;
const MAX_CAUSE_DEPTH = 5;

/**
 * Knows the secret values looked up for this process and removes them from any string:
 * each known value becomes `[REDACTED:<NAME>]`, then key-shaped strings are masked.
 */
export class Redactor {
  private readonly secrets = new Map<string, string>();

  constructor(secrets: Record<string, string | undefined> = {}) {
    for (const [name, value] of Object.entries(secrets)) if (value !== undefined) this.add(name, value);
  }

  /** Remember a secret value under the name it was looked up by. */
  add(name: string, value: string): void {
    if (value.length < MIN_SECRET_LENGTH) return;
    this.secrets.set(value, name);
    const encoded = encodeURIComponent(value);
    if (encoded !== value) this.secrets.set(encoded, name);
  }

  /** Names of the secrets this redactor knows (never their values). */
  get names(): string[] {
    return [...new Set(this.secrets.values())].sort();
  }

  /** Known values first (longest first, so a key containing another is replaced whole), then patterns. */
  redact(text: string): string {
    let out = this.redactKnown(text);
    for (const { pattern, replacement } of KEY_PATTERNS) out = out.replace(pattern, replacement);
    return out;
  }

  /** Replaces only the known values: safe for model output, where patterns could alter real text. */
  redactKnown(text: string): string {
    let out = text;
    const values = [...this.secrets.keys()].sort((a, b) => b.length - a.length);
    for (const value of values) out = out.split(value).join(`[REDACTED:${this.secrets.get(value)}]`);
    return out;
  }

  /**
   * Makes an error safe to print, log or store. An LlmError is scrubbed in place (message,
   * stack, string fields) and its cause chain is replaced by redacted plain copies, so SDK
   * objects holding headers or bodies never travel further. Anything else is wrapped.
   */
  redactError(error: unknown, provider: ErrorProvider = 'unknown'): LlmError {
    if (!isLlmError(error)) {
      return new LlmError('LLM_UNEXPECTED', this.redact(messageOf(error)), {
        provider,
        cause: this.sanitize(error, 0),
      });
    }
    const fields = error as unknown as Record<string, unknown>;
    for (const key of Object.keys(fields)) {
      const value = fields[key];
      if (typeof value === 'string') fields[key] = this.redact(value);
    }
    error.message = this.redact(error.message);
    if (error.stack !== undefined) error.stack = this.redact(error.stack);
    if (error.cause !== undefined) error.cause = this.sanitize(error.cause, 0);
    return error;
  }

  private sanitize(value: unknown, depth: number): unknown {
    if (depth >= MAX_CAUSE_DEPTH) return '[cause chain truncated]';
    if (typeof value === 'string') return this.redact(value);
    if (typeof value !== 'object' || value === null) return value;
    if (!('message' in value)) return this.redact(safeJson(value));
    const source = value as { name?: unknown; message?: unknown; stack?: unknown; cause?: unknown };
    const cause = source.cause === undefined ? undefined : this.sanitize(source.cause, depth + 1);
    const copy = new Error(this.redact(String(source.message)), cause === undefined ? undefined : { cause });
    copy.name = typeof source.name === 'string' ? source.name : 'Error';
    copy.stack = typeof source.stack === 'string' ? this.redact(source.stack) : undefined;
    for (const key of ['code', 'status', 'type'] as const) {
      const field = (value as Record<string, unknown>)[key];
      if (typeof field === 'string') Object.assign(copy, { [key]: this.redact(field) });
      else if (typeof field === 'number') Object.assign(copy, { [key]: field });
    }
    return copy;
  }
}

function messageOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error) return String(error.message);
  return String(error);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
