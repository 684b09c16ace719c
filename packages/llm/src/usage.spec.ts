import { estimateCost, totalUsage, usageRecord, type UsageRecord } from './usage';

const prices = { 'gpt-4o': { input_per_mtok: 2.5, output_per_mtok: 10 } };

describe('estimateCost', () => {
  it('prices input and output tokens per million', () => {
    expect(estimateCost({ inputTokens: 1_000_000, outputTokens: 500_000 }, prices, 'gpt-4o')).toBe(7.5);
  });

  it('is undefined, not 0, for a model without a price', () => {
    expect(estimateCost({ inputTokens: 10, outputTokens: 10 }, prices, 'gpt-unknown')).toBeUndefined();
  });

  it('tries each model name in turn (answering model, then the one asked for)', () => {
    expect(estimateCost({ inputTokens: 1000, outputTokens: 0 }, prices, 'gpt-4o-2024-08-06', 'gpt-4o')).toBe(0.0025);
  });
});

describe('usageRecord', () => {
  it('combines tokens, latency, model and cost', () => {
    const record = usageRecord(
      {
        provider: 'openai',
        model: 'gpt-4o-2024-08-06',
        requestedModel: 'gpt-4o',
        usage: { inputTokens: 100, outputTokens: 10 },
        latencyMs: 42,
      },
      prices,
    );
    expect(record).toEqual({
      provider: 'openai',
      model: 'gpt-4o-2024-08-06',
      inputTokens: 100,
      outputTokens: 10,
      latencyMs: 42,
      costUsd: 0.00035,
    });
  });
});

describe('totalUsage', () => {
  const record = (costUsd?: number): UsageRecord => ({
    provider: 'openai',
    model: 'm',
    inputTokens: 3,
    outputTokens: 2,
    latencyMs: 5,
    costUsd,
  });

  it('adds up tokens, latency and cost', () => {
    expect(totalUsage([record(0.5), record(0.25)])).toEqual({ requests: 2, inputTokens: 6, outputTokens: 4, latencyMs: 10, costUsd: 0.75 });
  });

  it('leaves the cost undefined when any record has none', () => {
    expect(totalUsage([record(0.5), record(undefined)]).costUsd).toBeUndefined();
  });
});
