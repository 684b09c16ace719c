import { LlmApiError } from '../errors/api-error';
import { LlmStreamInterruptedError } from '../errors/stream-interrupted-error';
import type { StreamChunk } from '../provider';
import { collectChunks, fakeModel, okResult } from '../testing/fake-model';
import { withRetry } from './with-retry';

const ask = { messages: [{ role: 'user' as const, content: 'hi' }] };
const delta = (text: string): StreamChunk => ({ type: 'text-delta', text });
const finish: StreamChunk = { type: 'finish', finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 2 }, latencyMs: 1 };
const noWait = { sleep: async () => undefined };

describe('withRetry', () => {
  it('retries generate after a retryable error', async () => {
    const inner = fakeModel([{ error: new LlmApiError('busy', { provider: 'openai', statusCode: 503 }) }, { result: okResult('second') }]);
    const result = await withRetry(inner, { clock: noWait }).generate(ask);
    expect(result.text).toBe('second');
    expect(inner.requests).toHaveLength(2);
  });

  it('retries a stream that fails before its first chunk', async () => {
    const inner = fakeModel([
      { chunks: [], error: new LlmStreamInterruptedError('openai', 'cut') },
      { chunks: [delta('a'), delta('b'), finish] },
    ]);
    const chunks = await collectChunks(withRetry(inner, { clock: noWait }).stream(ask));
    expect(chunks).toEqual([delta('a'), delta('b'), finish]);
    expect(inner.requests).toHaveLength(2);
  });

  it('does not retry a stream once a chunk was delivered, and delivers nothing twice', async () => {
    const inner = fakeModel([
      { chunks: [delta('a')], error: new LlmStreamInterruptedError('openai', 'cut') },
      { chunks: [delta('a'), delta('b'), finish] },
    ]);
    const received: StreamChunk[] = [];
    const consume = async () => {
      for await (const chunk of withRetry(inner, { clock: noWait }).stream(ask)) received.push(chunk);
    };
    await expect(consume()).rejects.toMatchObject({ name: 'LlmStreamInterruptedError' });
    expect(received).toEqual([delta('a')]);
    expect(inner.requests).toHaveLength(1);
  });

  it('closes the provider stream when the caller stops early', async () => {
    const inner = fakeModel([{ chunks: [delta('a'), delta('b'), finish] }]);
    for await (const chunk of withRetry(inner, { clock: noWait }).stream(ask)) {
      expect(chunk).toEqual(delta('a'));
      break;
    }
    expect(inner.closedEarly).toBe(1);
  });

  it('passes listModels through the same policy', async () => {
    const inner = fakeModel([]);
    await expect(withRetry(inner).listModels()).resolves.toEqual([{ id: 'fake-1' }]);
  });
});
