/**
 * The behaviour every provider must show against its recorded wire format, run once per
 * provider from its spec file: generate, stream, listModels, retries (429 with a requested
 * wait, 500 with backoff), malformed bodies, cut streams, aborts, timeouts, usage, and that
 * the API key never leaks. Each test drives the full `createLanguageModel` stack (real SDK
 * clients for OpenAI and Anthropic) against a loopback server.
 */
import { createLanguageModel } from '../create-provider';
import type { FinishReason, LanguageModel, ProviderName, StreamChunk, TokenUsage } from '../provider';
import type { Keyring } from '../secrets';
import type { UsageRecord } from '../usage';
import { startLoopbackServer, type LoopbackServer, type RecordedRequest, type Reply } from './loopback-server';
import { recordConsole, secretLeaks } from './secret-leaks';

export interface ProviderCase {
  provider: ProviderName;
  model: string;
  /** Environment variable holding the key. */
  keyName: string;
  /** The canary key: must reach the server and nothing else. */
  apiKey: string;
  /** Appended to the server URL to form `base_url` (`/v1`, `/v1beta`, or empty). */
  basePath: string;
  /** Where the key travels: header name and expected value. */
  authHeader: [string, string];
  paths: { generate: string; stream: string; list: string[] };
  replies: {
    generate: () => Reply;
    /** The stream, or its first `cutAfter` events followed by a cut connection. */
    stream: (cutAfter?: number) => Reply;
    list: () => Reply[];
    rateLimited: () => Reply;
    serverError: () => Reply;
    malformed: () => Reply;
    /** The API rejecting the key, echoing it in the error message. */
    badKey: () => Reply;
  };
  /** Events before the cut that deliver exactly the first text chunk. */
  eventsThroughFirstText: number;
  /** Events before any text chunk (stream headers only, e.g. message_start). */
  eventsBeforeText: number;
  expected: {
    text: string;
    finishReason: FinishReason;
    usage: TokenUsage;
    model: string;
    streamTexts: string[];
    streamUsage: TokenUsage;
    models: string[];
    /** The wait the recorded 429 asks for. */
    rateLimitWaitMs: number;
    badKeyStatus: number;
  };
}

/** Starts a loopback server per test and builds models against it. */
export function useProviderHarness(spec: ProviderCase) {
  const state = {
    server: undefined as unknown as LoopbackServer,
    sleeps: [] as number[],
    usage: [] as UsageRecord[],
    /** Everything the tests got back (results, chunks, errors) for the leak check. */
    seen: [] as unknown[],
    console: undefined as unknown as ReturnType<typeof recordConsole>,
  };
  beforeEach(async () => {
    state.server = await startLoopbackServer();
    state.sleeps = [];
    state.usage = [];
    state.seen = [];
    state.console = recordConsole();
  });
  afterEach(async () => {
    state.console.restore();
    await state.server.close();
    // The canary must not appear in anything a test received or anything that was logged.
    expect(secretLeaks(state.seen, spec.apiKey)).toEqual([]);
    expect(state.console.lines.filter((line) => line.includes(spec.apiKey))).toEqual([]);
    expect(secretLeaks(state.usage, spec.apiKey)).toEqual([]);
  });

  const throwingKeyring: Keyring = {
    getPassword: () => {
      throw new Error('Platform secure storage failure: no Secret Service on the session bus');
    },
  };

  async function model(config: Record<string, unknown> = {}): Promise<LanguageModel> {
    return createLanguageModel(
      {
        provider: spec.provider,
        model: spec.model,
        base_url: `${state.server.url}${spec.basePath}`,
        api_key_name: spec.keyName,
        max_retries: 2,
        ...config,
      },
      {
        env: { [spec.keyName]: spec.apiKey },
        keyring: throwingKeyring,
        clock: { sleep: async (ms) => void state.sleeps.push(ms), random: () => 0.5 },
        onUsage: (record) => state.usage.push(record),
      },
    );
  }

  /** Awaits a call, keeping its result or error for the leak check; returns the error. */
  async function failure(call: Promise<unknown>): Promise<Record<string, unknown>> {
    try {
      state.seen.push(await call);
    } catch (error) {
      state.seen.push(error);
      return error as Record<string, unknown>;
    }
    throw new Error('expected the call to fail, but it succeeded');
  }

  async function collect(stream: AsyncIterable<StreamChunk>): Promise<StreamChunk[]> {
    const chunks: StreamChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    state.seen.push(chunks);
    return chunks;
  }

  const requests = (): RecordedRequest[] => state.server.requests;
  return { state, model, failure, collect, requests };
}

const ask = { system: 'You review diffs.', messages: [{ role: 'user' as const, content: 'Does the diff respect the contract?' }] };

export function describeProviderConformance(spec: ProviderCase): void {
  describe(`${spec.provider} conformance`, () => {
    const h = useProviderHarness(spec);
    const texts = (chunks: StreamChunk[]) => chunks.flatMap((c) => (c.type === 'text-delta' ? [c.text] : []));

    describe('generate', () => {
      it('returns the text, finish reason, usage and answering model of the recorded reply', async () => {
        h.state.server.reply(spec.replies.generate());
        const result = await (await h.model()).generate(ask);
        h.state.seen.push(result);
        expect(result).toMatchObject({
          text: spec.expected.text,
          finishReason: spec.expected.finishReason,
          usage: spec.expected.usage,
          model: spec.expected.model,
        });
        expect(result.latencyMs).toBeGreaterThanOrEqual(0);
      });

      it('sends the key only in the auth header, to the documented path', async () => {
        h.state.server.reply(spec.replies.generate());
        h.state.seen.push(await (await h.model()).generate(ask));
        const [request] = h.requests();
        expect(request.method).toBe('POST');
        expect(request.path).toBe(spec.paths.generate);
        expect(request.headers[spec.authHeader[0]]).toBe(spec.authHeader[1]);
        expect(request.path.includes(spec.apiKey)).toBe(false);
        expect(request.rawBody.includes(spec.apiKey)).toBe(false);
      });

      it('reports tokens, latency and a cost from the configured price table', async () => {
        h.state.server.reply(spec.replies.generate());
        const prices = { [spec.expected.model]: { input_per_mtok: 3, output_per_mtok: 15 } };
        h.state.seen.push(await (await h.model({ prices })).generate(ask));
        const { inputTokens, outputTokens } = spec.expected.usage;
        expect(h.state.usage).toEqual([
          expect.objectContaining({
            provider: spec.provider,
            model: spec.expected.model,
            inputTokens,
            outputTokens,
            costUsd: (inputTokens * 3 + outputTokens * 15) / 1e6,
          }),
        ]);
      });
    });

    describe('stream', () => {
      it('yields the text deltas in order, then one finish chunk with the usage', async () => {
        h.state.server.reply(spec.replies.stream());
        const chunks = await h.collect((await h.model()).stream(ask));
        expect(texts(chunks)).toEqual(spec.expected.streamTexts);
        expect(chunks.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop', usage: spec.expected.streamUsage });
        expect(chunks.filter((c) => c.type === 'finish')).toHaveLength(1);
        expect(h.requests()[0].path).toBe(spec.paths.stream);
      });

      it('throws LlmStreamInterruptedError when the connection is cut after the first chunk, without retrying', async () => {
        h.state.server.reply(spec.replies.stream(spec.eventsThroughFirstText), spec.replies.stream());
        const received: string[] = [];
        const error = await h.failure(
          (async () => {
            for await (const chunk of (await h.model()).stream(ask)) if (chunk.type === 'text-delta') received.push(chunk.text);
          })(),
        );
        expect(error).toMatchObject({ name: 'LlmStreamInterruptedError', code: 'LLM_STREAM_INTERRUPTED', provider: spec.provider });
        expect(received).toEqual(spec.expected.streamTexts.slice(0, 1));
        expect(h.requests()).toHaveLength(1);
      });

      it('retries a stream cut before its first chunk and delivers the second attempt', async () => {
        h.state.server.reply(spec.replies.stream(spec.eventsBeforeText), spec.replies.stream());
        const chunks = await h.collect((await h.model()).stream(ask));
        expect(texts(chunks)).toEqual(spec.expected.streamTexts);
        expect(h.requests()).toHaveLength(2);
        expect(h.state.sleeps).toHaveLength(1);
      });
    });

    describe('listModels', () => {
      it('lists the model ids the API returns', async () => {
        h.state.server.reply(...spec.replies.list());
        const models = await (await h.model()).listModels();
        h.state.seen.push(models);
        expect(models.map((m) => m.id)).toEqual(spec.expected.models);
        expect(h.requests().map((r) => `${r.method} ${r.path}`)).toEqual(spec.paths.list.map((p) => `GET ${p}`));
        expect(h.requests()[0].headers[spec.authHeader[0]]).toBe(spec.authHeader[1]);
      });
    });

    describe('retries', () => {
      it('waits as long as the 429 asks, then succeeds', async () => {
        h.state.server.reply(spec.replies.rateLimited(), spec.replies.generate());
        const result = await (await h.model()).generate(ask);
        h.state.seen.push(result);
        expect(result.text).toBe(spec.expected.text);
        expect(h.state.sleeps).toEqual([spec.expected.rateLimitWaitMs]);
        expect(h.requests()).toHaveLength(2);
      });

      it('retries a 500 after an exponential backoff wait, then succeeds', async () => {
        h.state.server.reply(spec.replies.serverError(), spec.replies.generate());
        const result = await (await h.model()).generate(ask);
        h.state.seen.push(result);
        expect(result.text).toBe(spec.expected.text);
        // First wait: 1000 ms backoff with equal jitter at random() = 0.5 → 500 + 250.
        expect(h.state.sleeps).toEqual([750]);
        expect(h.requests()).toHaveLength(2);
      });

      it('gives up after llm.max_retries and throws the last API error', async () => {
        h.state.server.reply(spec.replies.serverError(), spec.replies.serverError());
        const error = await h.failure((await h.model({ max_retries: 1 })).generate(ask));
        expect(error).toMatchObject({ name: 'LlmApiError', statusCode: 500, isRetryable: true });
        expect(h.requests()).toHaveLength(2);
      });

      it('does not retry a malformed body and says it is not valid JSON', async () => {
        h.state.server.reply(spec.replies.malformed(), spec.replies.generate());
        const error = await h.failure((await h.model()).generate(ask));
        expect(error).toMatchObject({ name: 'LlmMalformedResponseError', code: 'LLM_MALFORMED_RESPONSE', isRetryable: false });
        expect(String(error.message)).toContain('not valid JSON');
        expect(h.requests()).toHaveLength(1);
      });

      it('does not retry a rejected key', async () => {
        h.state.server.reply(spec.replies.badKey(), spec.replies.generate());
        const error = await h.failure((await h.model()).generate(ask));
        expect(error).toMatchObject({ name: 'LlmApiError', statusCode: spec.expected.badKeyStatus, isRetryable: false });
        expect(h.requests()).toHaveLength(1);
      });
    });

    describe('cancellation', () => {
      it('rejects generate with LlmAbortedError when the caller aborts', async () => {
        h.state.server.reply({ hang: true });
        const controller = new AbortController();
        const call = (await h.model()).generate({ ...ask, signal: controller.signal });
        // Abort once the request is in flight (a fixed delay could fire before it left, on a busy machine).
        await until(() => h.requests().length === 1);
        controller.abort();
        const error = await h.failure(call);
        expect(error).toMatchObject({ name: 'LlmAbortedError', code: 'LLM_ABORTED' });
        expect(h.requests()).toHaveLength(1);
      });

      it('ends a stream with LlmAbortedError when the caller aborts after the first chunk', async () => {
        h.state.server.reply({ ...spec.replies.stream(spec.eventsThroughFirstText), cutAfterChunks: false, hang: true });
        const controller = new AbortController();
        const iterator = (await h.model()).stream({ ...ask, signal: controller.signal })[Symbol.asyncIterator]();
        const first = await iterator.next();
        h.state.seen.push(first);
        expect(first.value).toEqual({ type: 'text-delta', text: spec.expected.streamTexts[0] });
        controller.abort();
        const error = await h.failure(iterator.next());
        expect(error).toMatchObject({ name: 'LlmAbortedError' });
      });

      it('gives up with LlmTimeoutError after llm.timeout_seconds', async () => {
        h.state.server.reply({ hang: true });
        const error = await h.failure((await h.model({ timeout_seconds: 0.05 })).generate(ask));
        expect(error).toMatchObject({ name: 'LlmTimeoutError', code: 'LLM_TIMEOUT', timeoutMs: 50 });
        expect(String(error.message)).toContain('llm.timeout_seconds');
      });
    });

    describe('secrets', () => {
      it('keeps a key the API echoes back out of the error, String(error) and the cause chain', async () => {
        h.state.server.reply(spec.replies.badKey());
        const error = await h.failure((await h.model()).generate(ask));
        expect(secretLeaks(error, spec.apiKey)).toEqual([]);
        expect(String(error.message)).toContain(`[REDACTED:${spec.keyName}]`);
      });
    });
  });
}

/** Resolves once `condition` holds (checked every few milliseconds); fails after 10 s. */
async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 5) {
    if (waited > 10_000) throw new Error('condition not met within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
