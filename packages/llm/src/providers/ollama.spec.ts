import { randomUUID } from 'node:crypto';
import { createLanguageModel } from '../create-provider';
import { jsonReply, ndjsonReply } from '../testing/fixtures';
import { describeProviderConformance, useProviderHarness, type ProviderCase } from '../testing/provider-suite';
import { createOllama } from './ollama';

// A local Ollama needs no key; this suite runs it as if behind an authenticating proxy so the
// key handling is exercised too. The keyless case is tested below.
const apiKey = `sk-canary-${randomUUID()}`;

const spec: ProviderCase = {
  provider: 'ollama',
  model: 'llama3.2',
  keyName: 'OLLAMA_API_KEY',
  apiKey,
  basePath: '',
  authHeader: ['authorization', `Bearer ${apiKey}`],
  paths: { generate: '/api/chat', stream: '/api/chat', list: ['/api/tags'] },
  replies: {
    generate: () => jsonReply('ollama', 'chat.json'),
    stream: (cutAfter) => ndjsonReply('ollama', 'chat-stream.ndjson', cutAfter),
    list: () => [jsonReply('ollama', 'tags.json')],
    rateLimited: () => jsonReply('ollama', 'error-busy.json', 429, { 'retry-after': '2' }),
    serverError: () => jsonReply('ollama', 'error-500.json', 500),
    malformed: () => jsonReply('ollama', 'malformed.json'),
    badKey: () => jsonReply('ollama', 'error-401.json', 401, {}, apiKey),
  },
  eventsThroughFirstText: 1,
  eventsBeforeText: 0,
  expected: {
    text: '{"verdict":"approve","reason":"The diff only touches files the contract allows."}',
    finishReason: 'stop',
    usage: { inputTokens: 46, outputTokens: 22 },
    model: 'llama3.2',
    streamTexts: ['Hello', '!', ' The tests', ' pass.'],
    streamUsage: { inputTokens: 26, outputTokens: 5 },
    models: ['llama3.2:latest', 'qwen2.5-coder:7b'],
    rateLimitWaitMs: 2000,
    badKeyStatus: 401,
  },
};

describeProviderConformance(spec);

describe('createOllama requests', () => {
  const h = useProviderHarness(spec);
  const messages = [{ role: 'user' as const, content: 'Review this diff.' }];

  it('posts the model, a system message, stream: false and the options to /api/chat', async () => {
    h.state.server.reply(spec.replies.generate());
    const model = await h.model({ max_output_tokens: 300, temperature: 0.1 });
    h.state.seen.push(await model.generate({ system: 'You review diffs.', messages }));
    expect(h.requests()[0].body).toEqual({
      model: 'llama3.2',
      messages: [{ role: 'system', content: 'You review diffs.' }, ...messages],
      stream: false,
      options: { temperature: 0.1, num_predict: 300 },
    });
  });

  it("asks for JSON with format: 'json'", async () => {
    h.state.server.reply(spec.replies.generate());
    h.state.seen.push(await (await h.model()).generate({ messages, json: true }));
    expect(h.requests()[0].body).toMatchObject({ format: 'json' });
  });

  it('streams NDJSON with stream: true', async () => {
    h.state.server.reply(spec.replies.stream());
    await h.collect((await h.model()).stream({ messages }));
    expect(h.requests()[0].body).toMatchObject({ stream: true });
  });

  it('needs no key: without api_key_name it looks nothing up and sends no authorization', async () => {
    h.state.server.reply(spec.replies.generate());
    const lookedUp: string[] = [];
    const model = await createLanguageModel(
      { provider: 'ollama', model: 'llama3.2', base_url: h.state.server.url },
      {
        env: {},
        keyring: {
          getPassword: (_service, account) => {
            lookedUp.push(account);
            return null;
          },
        },
      },
    );
    h.state.seen.push(await model.generate({ messages }));
    expect(lookedUp).toEqual([]);
    expect(h.requests()[0].headers.authorization).toBeUndefined();
  });

  it('turns an error line inside the stream into an LlmApiError', async () => {
    h.state.server.reply({
      headers: { 'content-type': 'application/x-ndjson' },
      chunks: [
        '{"model":"llama3.2","message":{"role":"assistant","content":"Hel"},"done":false}\n',
        '{"error":"an error was encountered while running the model: unexpected EOF"}\n',
      ],
    });
    const model = createOllama({ model: 'llama3.2', baseURL: h.state.server.url });
    const error = await h.failure(h.collect(model.stream({ messages })));
    expect(error).toMatchObject({ name: 'LlmApiError', isRetryable: false });
    expect(String(error.message)).toContain('unexpected EOF');
  });
});
