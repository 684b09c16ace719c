import { inspect } from 'node:util';
import { LlmApiError } from './errors/api-error';
import { LlmError } from './errors/llm-error';
import { Redactor } from './redact';

const key = 'sk-proj-canary-9f8e7d6c5b4a39281706';

describe('Redactor.redact', () => {
  it('replaces each known value with [REDACTED:<NAME>]', () => {
    const redactor = new Redactor({ OPENAI_API_KEY: key, GEMINI_API_KEY: 'gem-secret-value' });
    expect(redactor.redact(`a ${key} b gem-secret-value c`)).toBe('a [REDACTED:OPENAI_API_KEY] b [REDACTED:GEMINI_API_KEY] c');
    expect(redactor.names).toEqual(['GEMINI_API_KEY', 'OPENAI_API_KEY']);
  });

  it('replaces the URL-encoded form of a known value as well', () => {
    const redactor = new Redactor({ TOKEN: 'a/b+c=d secret' });
    expect(redactor.redact('?token=a%2Fb%2Bc%3Dd%20secret')).toBe('?token=[REDACTED:TOKEN]');
  });

  it('masks key-shaped strings it was not told about', () => {
    const redactor = new Redactor();
    expect(redactor.redact('openai sk-abcdefghijklmnopqrstuv')).toBe('openai [REDACTED]');
    expect(redactor.redact('project sk-proj-AbCdEfGhIjKlMnOpQrStUv_12')).toBe('project [REDACTED]');
    expect(redactor.redact('anthropic sk-ant-api03-AbCdEfGhIjKlMnOpQr-xyz')).toBe('anthropic [REDACTED]');
    expect(redactor.redact('google AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW')).toBe('google [REDACTED]');
    expect(redactor.redact('Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc')).toBe('Authorization: Bearer [REDACTED]');
  });

  it('leaves ordinary text alone', () => {
    const text = 'a risk-free task-list using sk-learn; Bearer of bad news; AIza short';
    expect(new Redactor().redact(text)).toBe(text);
  });

  it('does not treat values shorter than 4 characters as secrets', () => {
    expect(new Redactor({ PIN: 'abc' }).redact('abc abc')).toBe('abc abc');
  });
});

describe('Redactor.redactKnown', () => {
  it('replaces known values but leaves key-shaped text alone, for model output', () => {
    const redactor = new Redactor({ OPENAI_API_KEY: key });
    expect(redactor.redactKnown(`${key} vs sk-abcdefghijklmnopqrstuv`)).toBe('[REDACTED:OPENAI_API_KEY] vs sk-abcdefghijklmnopqrstuv');
  });
});

describe('Redactor.redactError', () => {
  const redactor = new Redactor({ OPENAI_API_KEY: key });

  it('scrubs the message, stack and string fields of an LlmError in place, keeping its class', () => {
    const error = new LlmApiError(`Incorrect API key provided: ${key}`, {
      provider: 'openai',
      statusCode: 401,
      responseBody: `{"key":"${key}"}`,
    });
    const redacted = redactor.redactError(error);
    expect(redacted).toBe(error);
    expect(redacted).toBeInstanceOf(LlmApiError);
    expect(redacted.message).toBe('Incorrect API key provided: [REDACTED:OPENAI_API_KEY]');
    expect(error.responseBody).toBe('{"key":"[REDACTED:OPENAI_API_KEY]"}');
    expect(inspect(redacted, { depth: 10, showHidden: true })).not.toContain(key);
  });

  it('replaces the cause chain by redacted plain copies, dropping SDK objects', () => {
    const sdkError = Object.assign(new Error(`401 Incorrect API key provided: ${key}`, { cause: new Error(`inner ${key}`) }), {
      status: 401,
      headers: { authorization: `Bearer ${key}` },
    });
    const error = redactor.redactError(new LlmError('LLM_API', 'rejected', { provider: 'openai', cause: sdkError }));
    const cause = error.cause as Error & { status?: number; headers?: unknown; cause?: Error };
    expect(cause).not.toBe(sdkError);
    expect(cause.message).toBe('401 Incorrect API key provided: [REDACTED:OPENAI_API_KEY]');
    expect(cause.status).toBe(401);
    expect(cause.headers).toBeUndefined();
    expect(cause.cause?.message).toBe('inner [REDACTED:OPENAI_API_KEY]');
    expect(inspect(error, { depth: 20, showHidden: true })).not.toContain(key);
  });

  it('wraps a foreign error in an LLM_UNEXPECTED LlmError', () => {
    const error = redactor.redactError(new TypeError(`bad ${key}`), 'gemini');
    expect(error).toMatchObject({ code: 'LLM_UNEXPECTED', provider: 'gemini', message: 'bad [REDACTED:OPENAI_API_KEY]' });
  });

  it('cuts a very deep cause chain short', () => {
    let cause: unknown = new Error('bottom');
    for (let i = 0; i < 10; i++) cause = new Error(`level ${i}`, { cause });
    let current: unknown = redactor.redactError(new LlmError('LLM_X', 'top', { provider: 'openai', cause })).cause;
    let depth = 0;
    while (current instanceof Error) {
      current = current.cause;
      depth++;
    }
    expect(depth).toBe(5);
    expect(current).toBe('[cause chain truncated]');
  });
});
