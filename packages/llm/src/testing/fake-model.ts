/**
 * A scripted LanguageModel for middleware tests: each call takes the next step from a list,
 * and every request it receives is recorded.
 */
import type { GenerateRequest, GenerateResult, LanguageModel, ModelInfo, StreamChunk } from '../provider';

export type FakeStep =
  | { result: GenerateResult }
  | { error: Error }
  /** Yields the chunks, then throws `error` if given. */
  | { chunks: StreamChunk[]; error?: Error }
  /** Waits until the request's signal fires, then throws the signal's reason. */
  | { hang: true };

export interface FakeModel extends LanguageModel {
  readonly requests: GenerateRequest[];
  /** How many streams were closed by their consumer before the end. */
  readonly closedEarly: number;
}

export const okResult = (text = 'ok'): GenerateResult => ({
  text,
  finishReason: 'stop',
  usage: { inputTokens: 10, outputTokens: 5 },
  latencyMs: 3,
  model: 'fake-1',
});

export function fakeModel(steps: FakeStep[], models: ModelInfo[] = [{ id: 'fake-1' }]): FakeModel {
  const requests: GenerateRequest[] = [];
  let closedEarly = 0;
  const next = (req: GenerateRequest) => {
    requests.push(req);
    const step = steps.shift();
    if (!step) throw new Error('fake model: no step left');
    return step;
  };
  const waitForAbort = (signal?: AbortSignal) =>
    new Promise<never>((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason), { once: true }));

  return {
    provider: 'openai',
    modelId: 'fake',
    requests,
    get closedEarly() {
      return closedEarly;
    },
    async generate(req) {
      const step = next(req);
      if ('hang' in step) return waitForAbort(req.signal);
      if ('result' in step) return step.result;
      if ('chunks' in step) throw new Error('fake model: a stream step was given to generate');
      throw step.error;
    },
    async *stream(req) {
      const step = next(req);
      if ('hang' in step) return await waitForAbort(req.signal);
      if ('result' in step) throw new Error('fake model: a generate step was given to stream');
      if (!('chunks' in step)) throw step.error;
      let finished = false;
      try {
        for (const chunk of step.chunks) yield chunk;
        finished = true;
      } finally {
        if (!finished) closedEarly++;
      }
      if (step.error) throw step.error;
    },
    async listModels() {
      return models;
    },
  };
}

export async function collectChunks(stream: AsyncIterable<StreamChunk>): Promise<StreamChunk[]> {
  const chunks: StreamChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}
