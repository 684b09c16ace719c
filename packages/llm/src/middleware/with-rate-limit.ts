import { LlmAbortedError } from '../errors/aborted-error';
import type { GenerateRequest, LanguageModel, StreamChunk } from '../provider';
import type { RateLimiter } from '../rate-limit';
import { wrapModel } from './wrap';

/** Every request (each retry attempt too) waits for the limiter; streams hold their slot until they end. */
export function withRateLimit(model: LanguageModel, limiter: RateLimiter): LanguageModel {
  const acquire = async (signal?: AbortSignal) => {
    try {
      return await limiter.acquire(signal);
    } catch (error) {
      throw new LlmAbortedError(model.provider, error);
    }
  };
  const limited = async <T>(signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> => {
    const release = await acquire(signal);
    try {
      return await fn();
    } finally {
      release();
    }
  };

  async function* stream(req: GenerateRequest): AsyncGenerator<StreamChunk> {
    const release = await acquire(req.signal);
    try {
      yield* model.stream(req);
    } finally {
      release();
    }
  }

  return wrapModel(model, {
    generate: (req) => limited(req.signal, () => model.generate(req)),
    stream,
    listModels: (opts) => limited(opts?.signal, () => model.listModels(opts)),
  });
}
