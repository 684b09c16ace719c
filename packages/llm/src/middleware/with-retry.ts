import type { GenerateRequest, LanguageModel, StreamChunk } from '../provider';
import { retry, type RetryOptions } from '../retry';
import { wrapModel } from './wrap';

export type WithRetryOptions = Omit<RetryOptions, 'signal' | 'provider'>;

/**
 * Retries generate and listModels per the retry policy. A stream is retried only until its
 * first chunk has been delivered: after that the caller has seen text, and starting again
 * would repeat it, so later failures are thrown as they are.
 */
export function withRetry(model: LanguageModel, options: WithRetryOptions = {}): LanguageModel {
  const run = <T>(signal: AbortSignal | undefined, fn: () => Promise<T>) => retry(fn, { ...options, signal, provider: model.provider });

  async function* stream(req: GenerateRequest): AsyncGenerator<StreamChunk> {
    const opened = await run(req.signal, async () => {
      const iterator = model.stream(req)[Symbol.asyncIterator]();
      return { iterator, first: await iterator.next() };
    });
    if (opened.first.done) return;
    let finished = false;
    try {
      yield opened.first.value;
      for (;;) {
        const next = await opened.iterator.next();
        if (next.done) break;
        yield next.value;
      }
      finished = true;
    } finally {
      // The caller stopped early: let the provider close its connection.
      if (!finished) await opened.iterator.return?.();
    }
  }

  return wrapModel(model, {
    generate: (req) => run(req.signal, () => model.generate(req)),
    stream,
    listModels: (opts) => run(opts?.signal, () => model.listModels(opts)),
  });
}
