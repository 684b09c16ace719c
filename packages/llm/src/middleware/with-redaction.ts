import type { GenerateRequest, LanguageModel, StreamChunk } from '../provider';
import type { Redactor } from '../redact';
import { wrapModel } from './wrap';

/**
 * The outermost layer: known secret values are removed from the prompt before it is sent (a
 * key pasted into a file or a log must not reach the provider's servers), every error leaving
 * the model is redacted (known secret values and key-shaped strings), and known secret values
 * are removed from returned text as well.
 */
export function withRedaction(model: LanguageModel, redactor: Redactor): LanguageModel {
  const fail = (error: unknown) => redactor.redactError(error, model.provider);
  const clean = (req: GenerateRequest): GenerateRequest => ({
    ...req,
    ...(req.system === undefined ? {} : { system: redactor.redactKnown(req.system) }),
    messages: req.messages.map((m) => ({ ...m, content: redactor.redactKnown(m.content) })),
  });

  async function* stream(req: GenerateRequest): AsyncGenerator<StreamChunk> {
    try {
      for await (const chunk of model.stream(clean(req))) {
        yield chunk.type === 'text-delta' ? { type: 'text-delta', text: redactor.redactKnown(chunk.text) } : chunk;
      }
    } catch (error) {
      throw fail(error);
    }
  }

  return wrapModel(model, {
    generate: async (req) => {
      try {
        const result = await model.generate(clean(req));
        return { ...result, text: redactor.redactKnown(result.text) };
      } catch (error) {
        throw fail(error);
      }
    },
    stream,
    listModels: async (opts) => {
      try {
        return await model.listModels(opts);
      } catch (error) {
        throw fail(error);
      }
    },
  });
}
