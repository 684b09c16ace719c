import { LlmTimeoutError } from '../errors/timeout-error';
import type { GenerateRequest, LanguageModel, StreamChunk } from '../provider';
import { wrapModel } from './wrap';

/**
 * Bounds each call (retries and rate-limit waits included) by `timeoutMs`: the signal passed
 * down is `AbortSignal.any([callerSignal, AbortSignal.timeout(timeoutMs)])`, and an abort
 * caused by the timer (not the caller) comes out as LlmTimeoutError.
 */
export function withTimeout(model: LanguageModel, timeoutMs: number): LanguageModel {
  const scope = (caller?: AbortSignal) => {
    const timer = AbortSignal.timeout(timeoutMs);
    const signal = caller ? AbortSignal.any([caller, timer]) : timer;
    const translate = (error: unknown) =>
      timer.aborted && !caller?.aborted ? new LlmTimeoutError(model.provider, timeoutMs, error) : error;
    return { signal, translate };
  };
  const timed = async <T>(caller: AbortSignal | undefined, fn: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    const { signal, translate } = scope(caller);
    try {
      return await fn(signal);
    } catch (error) {
      throw translate(error);
    }
  };

  async function* stream(req: GenerateRequest): AsyncGenerator<StreamChunk> {
    const { signal, translate } = scope(req.signal);
    try {
      yield* model.stream({ ...req, signal });
    } catch (error) {
      throw translate(error);
    }
  }

  return wrapModel(model, {
    generate: (req) => timed(req.signal, (signal) => model.generate({ ...req, signal })),
    stream,
    listModels: (opts) => timed(opts?.signal, (signal) => model.listModels({ ...opts, signal })),
  });
}
