import type { GenerateRequest, LanguageModel, StreamChunk } from '../provider';
import { usageRecord, type PriceTable, type UsageRecord } from '../usage';
import { wrapModel } from './wrap';

/** Reports one UsageRecord per successful generate or completed stream. */
export function withUsage(model: LanguageModel, prices: PriceTable, onUsage: (record: UsageRecord) => void): LanguageModel {
  async function* stream(req: GenerateRequest): AsyncGenerator<StreamChunk> {
    for await (const chunk of model.stream(req)) {
      if (chunk.type === 'finish') {
        onUsage(usageRecord({ provider: model.provider, model: model.modelId, usage: chunk.usage, latencyMs: chunk.latencyMs }, prices));
      }
      yield chunk;
    }
  }

  return wrapModel(model, {
    generate: async (req) => {
      const result = await model.generate(req);
      onUsage(
        usageRecord(
          {
            provider: model.provider,
            model: result.model,
            requestedModel: model.modelId,
            usage: result.usage,
            latencyMs: result.latencyMs,
          },
          prices,
        ),
      );
      return result;
    },
    stream,
  });
}
