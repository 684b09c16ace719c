import { LlmApiError, isRetryableStatus } from './api-error';
import { LlmError, isLlmError } from './llm-error';
import { LlmMissingApiKeyError } from './missing-api-key-error';
import { LlmNetworkError, describeCause } from './network-error';
import { LlmTimeoutError } from './timeout-error';

describe('LlmError', () => {
  it('carries code, provider, status, retryability and cause', () => {
    const cause = new Error('root');
    const error = new LlmError('LLM_X', 'failed', { provider: 'gemini', statusCode: 502, isRetryable: true, cause });
    expect(error).toMatchObject({ code: 'LLM_X', provider: 'gemini', statusCode: 502, isRetryable: true, cause, message: 'failed' });
    expect(error).toBeInstanceOf(Error);
  });
});

describe('isLlmError', () => {
  it('recognises LlmErrors, also by shape, and nothing else', () => {
    expect(isLlmError(new LlmTimeoutError('openai', 10))).toBe(true);
    expect(isLlmError({ code: 'LLM_API', isRetryable: false, message: 'from another realm' })).toBe(true);
    expect(isLlmError(new Error('plain'))).toBe(false);
    expect(isLlmError({ code: 'ENOENT', isRetryable: false })).toBe(false);
  });
});

describe('isRetryableStatus', () => {
  it('is true for 408, 409, 429 and 5xx only', () => {
    const statuses = [400, 401, 403, 404, 408, 409, 422, 429, 500, 503, 529];
    expect(statuses.filter(isRetryableStatus)).toEqual([408, 409, 429, 500, 503, 529]);
    expect(isRetryableStatus(undefined)).toBe(false);
  });
});

describe('LlmApiError', () => {
  it('derives retryability from the status and keeps the retry hints', () => {
    const error = new LlmApiError('busy', { provider: 'openai', statusCode: 429, retryAfter: '3', retryAfterMs: 2500 });
    expect(error).toMatchObject({ name: 'LlmApiError', code: 'LLM_API', isRetryable: true, retryAfter: '3', retryAfterMs: 2500 });
  });
});

describe('LlmMissingApiKeyError', () => {
  it('names the config field, the environment variable and the keyring entry', () => {
    expect(new LlmMissingApiKeyError('openai', 'OPENAI_API_KEY').message).toBe(
      "No API key for the openai provider: llm.api_key_name is 'OPENAI_API_KEY', which is neither in the environment " +
        "nor in the OS keyring. Set OPENAI_API_KEY or store it in the OS keyring under service 'factory', account 'OPENAI_API_KEY'.",
    );
  });
});

describe('describeCause', () => {
  it("digs out undici's real reason from the cause chain", () => {
    const fetchFailed = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }),
    });
    expect(describeCause(fetchFailed)).toBe('connect ECONNREFUSED 127.0.0.1:9');
    expect(new LlmNetworkError('ollama', 'http://127.0.0.1:9/api/chat', fetchFailed).message).toContain('connect ECONNREFUSED');
  });
});
