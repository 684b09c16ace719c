import type { UsageRecord } from '../usage';
import { collectChunks, fakeModel, okResult } from '../testing/fake-model';
import { withUsage } from './with-usage';

const prices = { 'fake-1': { input_per_mtok: 1, output_per_mtok: 2 } };

describe('withUsage', () => {
  it('reports one record per generate, priced by the answering model', async () => {
    const records: UsageRecord[] = [];
    await withUsage(fakeModel([{ result: okResult() }]), prices, (r) => records.push(r)).generate({ messages: [] });
    expect(records).toEqual([{ provider: 'openai', model: 'fake-1', inputTokens: 10, outputTokens: 5, latencyMs: 3, costUsd: 20 / 1e6 }]);
  });

  it('reports one record when a stream finishes, and none for a stream that fails', async () => {
    const records: UsageRecord[] = [];
    const inner = fakeModel([
      {
        chunks: [
          { type: 'text-delta', text: 'a' },
          { type: 'finish', finishReason: 'stop', usage: { inputTokens: 4, outputTokens: 1 }, latencyMs: 9 },
        ],
      },
      { chunks: [{ type: 'text-delta', text: 'a' }], error: new Error('cut') },
    ]);
    const model = withUsage(inner, {}, (r) => records.push(r));
    await collectChunks(model.stream({ messages: [] }));
    await expect(collectChunks(model.stream({ messages: [] }))).rejects.toThrow('cut');
    expect(records).toEqual([{ provider: 'openai', model: 'fake', inputTokens: 4, outputTokens: 1, latencyMs: 9, costUsd: undefined }]);
  });
});
