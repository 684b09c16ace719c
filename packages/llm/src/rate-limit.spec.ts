import { withRateLimit } from './middleware/with-rate-limit';
import { createRateLimiter } from './rate-limit';
import { collectChunks, fakeModel, okResult } from './testing/fake-model';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('createRateLimiter', () => {
  it('lets at most maxConcurrent requests hold a slot at once', async () => {
    const limiter = createRateLimiter({ maxConcurrent: 2 });
    const releaseA = await limiter.acquire();
    await limiter.acquire();
    let third = false;
    const waiting = limiter.acquire().then(() => (third = true));
    await tick();
    expect({ third, active: limiter.active, pending: limiter.pending }).toEqual({ third: false, active: 2, pending: 1 });
    releaseA();
    await waiting;
    expect(third).toBe(true);
  });

  it('starts at most requestsPerMinute requests in any window', async () => {
    const limiter = createRateLimiter({ requestsPerMinute: 2, intervalMs: 150 });
    const start = performance.now();
    const startedAt: number[] = [];
    await Promise.all(
      [0, 1, 2].map(async () => {
        await limiter.acquire();
        startedAt.push(performance.now() - start);
      }),
    );
    startedAt.sort((a, b) => a - b);
    expect(startedAt[1]).toBeLessThan(100);
    expect(startedAt[2]).toBeGreaterThanOrEqual(140);
  });

  it("rejects a waiting request with the signal's reason and hands its slot on", async () => {
    const limiter = createRateLimiter({ maxConcurrent: 1 });
    const release = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error('no longer needed'));
    await expect(waiting).rejects.toThrow('no longer needed');
    release();
    const next = await limiter.acquire();
    expect(limiter.active).toBe(1);
    next();
  });

  it('does not limit anything when neither limit is set', async () => {
    const limiter = createRateLimiter();
    const releases = await Promise.all(Array.from({ length: 20 }, () => limiter.acquire()));
    expect(releases).toHaveLength(20);
  });

  it('ignores a second release of the same slot', async () => {
    const limiter = createRateLimiter({ maxConcurrent: 1 });
    const release = await limiter.acquire();
    release();
    release();
    await limiter.acquire();
    let second = false;
    void limiter.acquire().then(() => (second = true));
    await tick();
    expect(second).toBe(false);
  });
});

describe('withRateLimit', () => {
  const ask = { messages: [{ role: 'user' as const, content: 'hi' }] };

  it('holds the slot for the whole stream', async () => {
    const limiter = createRateLimiter({ maxConcurrent: 1 });
    const inner = fakeModel([{ chunks: [{ type: 'text-delta', text: 'a' }] }, { result: okResult() }]);
    const model = withRateLimit(inner, limiter);
    const iterator = model.stream(ask)[Symbol.asyncIterator]();
    await iterator.next();
    let generated = false;
    const generating = model.generate(ask).then(() => (generated = true));
    await tick();
    expect(generated).toBe(false);
    await iterator.next();
    await generating;
    expect(generated).toBe(true);
  });

  it('throws LlmAbortedError when the caller aborts while waiting for a slot', async () => {
    const limiter = createRateLimiter({ maxConcurrent: 1 });
    await limiter.acquire();
    const controller = new AbortController();
    const model = withRateLimit(fakeModel([]), limiter);
    const waiting = collectChunks(model.stream({ ...ask, signal: controller.signal }));
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'LlmAbortedError', provider: 'openai' });
  });
});
