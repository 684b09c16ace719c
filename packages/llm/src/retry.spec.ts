import { LlmAbortedError } from './errors/aborted-error';
import { LlmApiError } from './errors/api-error';
import { LlmMalformedResponseError } from './errors/malformed-response-error';
import { LlmMissingApiKeyError } from './errors/missing-api-key-error';
import { LlmNetworkError } from './errors/network-error';
import { LlmStreamInterruptedError } from './errors/stream-interrupted-error';
import { LlmTimeoutError } from './errors/timeout-error';
import { DEFAULT_RETRY_POLICY, isRetryable, parseRetryAfter, retry, retryDelayMs, serverDelayMs, sleep } from './retry';

const status = (code: number, extra: { retryAfter?: string; retryAfterMs?: number } = {}) =>
  new LlmApiError(`HTTP ${code}`, { provider: 'openai', statusCode: code, ...extra });

describe('parseRetryAfter', () => {
  it('reads delay seconds as milliseconds', () => {
    expect(parseRetryAfter('2', 0)).toBe(2000);
    expect(parseRetryAfter(' 1.5 ', 0)).toBe(1500);
  });

  it('reads an HTTP date as the time left until it', () => {
    const date = 'Wed, 21 Oct 2015 07:28:00 GMT';
    expect(parseRetryAfter(date, Date.parse(date) - 3000)).toBe(3000);
  });

  it('never returns a negative wait for a date in the past', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('2016-01-01'))).toBe(0);
  });

  it('returns undefined for a value that is neither', () => {
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
  });
});

describe('serverDelayMs', () => {
  it('prefers retry-after-ms over Retry-After', () => {
    expect(serverDelayMs(status(429, { retryAfter: '9', retryAfterMs: 250 }), 0)).toBe(250);
  });

  it('falls back to Retry-After, and to undefined when the server named no wait', () => {
    expect(serverDelayMs(status(429, { retryAfter: '3' }), 0)).toBe(3000);
    expect(serverDelayMs(status(503), 0)).toBeUndefined();
  });
});

describe('retryDelayMs', () => {
  const clock = (random: number) => ({ now: () => 0, random: () => random });

  it("uses the server's wait when it gave one, without jitter", () => {
    expect(retryDelayMs(status(429, { retryAfter: '2' }), 1, DEFAULT_RETRY_POLICY, clock(0.9))).toBe(2000);
  });

  it("caps the server's wait at maxDelayMs", () => {
    const policy = { ...DEFAULT_RETRY_POLICY, maxDelayMs: 5000 };
    expect(retryDelayMs(status(429, { retryAfter: '3600' }), 1, policy, clock(0))).toBe(5000);
  });

  it('backs off exponentially with equal jitter between half and all of the backoff', () => {
    const delays = (random: number) => [1, 2, 3].map((n) => retryDelayMs(status(503), n, DEFAULT_RETRY_POLICY, clock(random)));
    expect(delays(0)).toEqual([500, 1000, 2000]);
    expect(delays(0.5)).toEqual([750, 1500, 3000]);
    expect(delays(0.999)).toEqual([1000, 1999, 3998]);
  });

  it('caps the backoff at maxDelayMs', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, maxDelayMs: 4000 };
    expect(retryDelayMs(status(503), 10, policy, clock(0))).toBe(2000);
    expect(retryDelayMs(status(503), 10, policy, clock(0.999))).toBe(3998);
  });
});

describe('isRetryable', () => {
  it('retries 408, 409, 429 and 5xx, network failures and interrupted streams', () => {
    for (const code of [408, 409, 429, 500, 502, 503, 504, 529]) expect(isRetryable(status(code))).toBe(true);
    expect(isRetryable(new LlmNetworkError('gemini', 'http://x', new Error('ECONNRESET')))).toBe(true);
    expect(isRetryable(new LlmStreamInterruptedError('ollama', 'cut'))).toBe(true);
  });

  it('never retries 400, 401, 403, 404, malformed responses, aborts, timeouts or missing keys', () => {
    for (const code of [400, 401, 403, 404, 422]) expect(isRetryable(status(code))).toBe(false);
    expect(isRetryable(new LlmMalformedResponseError('openai', 'bad'))).toBe(false);
    expect(isRetryable(new LlmAbortedError('openai'))).toBe(false);
    expect(isRetryable(new LlmTimeoutError('openai', 1000))).toBe(false);
    expect(isRetryable(new LlmMissingApiKeyError('openai', 'OPENAI_API_KEY'))).toBe(false);
    expect(isRetryable(new Error('plain'))).toBe(false);
  });
});

describe('retry', () => {
  const recorder = () => {
    const sleeps: number[] = [];
    return { sleeps, clock: { sleep: async (ms: number) => void sleeps.push(ms), random: () => 0 } };
  };

  it('returns the first success without waiting', async () => {
    const { sleeps, clock } = recorder();
    await expect(retry(async () => 'ok', { clock })).resolves.toBe('ok');
    expect(sleeps).toEqual([]);
  });

  it('retries a retryable error up to maxRetries times, then throws the last error', async () => {
    const { sleeps, clock } = recorder();
    let calls = 0;
    const failing = async () => {
      calls++;
      throw status(500 + calls);
    };
    await expect(retry(failing, { clock, policy: { maxRetries: 3 } })).rejects.toMatchObject({ statusCode: 504 });
    expect(calls).toBe(4);
    expect(sleeps).toEqual([500, 1000, 2000]);
  });

  it('does not retry an error that is not retryable', async () => {
    const { sleeps, clock } = recorder();
    let calls = 0;
    const failing = async () => {
      calls++;
      throw status(401);
    };
    await expect(retry(failing, { clock })).rejects.toMatchObject({ statusCode: 401 });
    expect(calls).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('waits what the server asked for before the next attempt and reports it', async () => {
    const { sleeps, clock } = recorder();
    const seen: number[] = [];
    let calls = 0;
    const result = await retry(
      async (attempt) => {
        calls++;
        if (attempt === 1) throw status(429, { retryAfterMs: 1234 });
        return attempt;
      },
      { clock, onRetry: (info) => seen.push(info.delayMs) },
    );
    expect(result).toBe(2);
    expect(calls).toBe(2);
    expect(sleeps).toEqual([1234]);
    expect(seen).toEqual([1234]);
  });

  it('waits for real with the default clock', async () => {
    const start = performance.now();
    let calls = 0;
    await retry(
      async () => {
        if (++calls < 3) throw status(503);
        return calls;
      },
      { policy: { initialDelayMs: 20 } },
    );
    // Waits of at least 10 and 20 ms (half of the 20 and 40 ms backoffs).
    expect(performance.now() - start).toBeGreaterThanOrEqual(25);
    expect(calls).toBe(3);
  });

  it('stops waiting and throws LlmAbortedError when the signal fires during a wait', async () => {
    const controller = new AbortController();
    const start = performance.now();
    setTimeout(() => controller.abort(), 20);
    const failing = async () => {
      throw status(429, { retryAfter: '30' });
    };
    await expect(retry(failing, { signal: controller.signal, provider: 'anthropic' })).rejects.toMatchObject({
      name: 'LlmAbortedError',
      provider: 'anthropic',
    });
    expect(performance.now() - start).toBeLessThan(5000);
  });

  it('turns a thrown non-LlmError into a non-retryable LLM_UNEXPECTED error', async () => {
    let calls = 0;
    const failing = async () => {
      calls++;
      throw new RangeError('boom');
    };
    await expect(retry(failing, { provider: 'gemini' })).rejects.toMatchObject({ code: 'LLM_UNEXPECTED', provider: 'gemini' });
    expect(calls).toBe(1);
  });
});

describe('sleep', () => {
  it('resolves after the given time', async () => {
    const start = performance.now();
    await sleep(15);
    expect(performance.now() - start).toBeGreaterThanOrEqual(10);
  });

  it("rejects with the signal's reason when it is aborted", async () => {
    const controller = new AbortController();
    const waiting = sleep(10_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
  });
});
