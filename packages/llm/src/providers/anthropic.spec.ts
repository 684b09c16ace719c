import { randomUUID } from 'node:crypto';
import { jsonReply, sseReply } from '../testing/fixtures';
import { describeProviderConformance, useProviderHarness, type ProviderCase } from '../testing/provider-suite';
import { ANTHROPIC_DEFAULT_MAX_OUTPUT_TOKENS, createAnthropic } from './anthropic';
import { JSON_INSTRUCTION } from './common';

const apiKey = `sk-ant-canary-${randomUUID()}`;

const spec: ProviderCase = {
  provider: 'anthropic',
  model: 'claude-haiku-4-5',
  keyName: 'ANTHROPIC_API_KEY',
  apiKey,
  basePath: '',
  // @anthropic-ai/sdk 1.x sends the API key as a bearer token.
  authHeader: ['authorization', `Bearer ${apiKey}`],
  paths: { generate: '/v1/messages', stream: '/v1/messages', list: ['/v1/models?limit=100'] },
  replies: {
    generate: () => jsonReply('anthropic', 'message.json'),
    stream: (cutAfter) => sseReply('anthropic', 'message-stream.sse', cutAfter),
    list: () => [jsonReply('anthropic', 'models.json')],
    rateLimited: () => jsonReply('anthropic', 'error-429.json', 429, { 'retry-after': '2' }),
    serverError: () => jsonReply('anthropic', 'error-500.json', 500),
    malformed: () => jsonReply('anthropic', 'malformed.json'),
    badKey: () => jsonReply('anthropic', 'error-401.json', 401, {}, apiKey),
  },
  // message_start, content_block_start, ping, then the first text_delta.
  eventsThroughFirstText: 4,
  eventsBeforeText: 3,
  expected: {
    text: '{"verdict":"approve","reason":"The diff only touches files the contract allows."}',
    finishReason: 'stop',
    // input_tokens 180 + cache_read_input_tokens 12
    usage: { inputTokens: 192, outputTokens: 24 },
    model: 'claude-haiku-4-5-20251001',
    streamTexts: ['Hello', '! The tests', ' pass.'],
    streamUsage: { inputTokens: 21, outputTokens: 9 },
    models: ['claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001'],
    rateLimitWaitMs: 2000,
    badKeyStatus: 401,
  },
};

describeProviderConformance(spec);

describe('createAnthropic requests', () => {
  const h = useProviderHarness(spec);
  const messages = [{ role: 'user' as const, content: 'Review this diff.' }];

  it('posts the model, max_tokens, the top-level system prompt and the messages', async () => {
    h.state.server.reply(spec.replies.generate());
    h.state.seen.push(await (await h.model({ temperature: 0 })).generate({ system: 'You review diffs.', messages }));
    const [request] = h.requests();
    expect(request.body).toEqual({
      model: 'claude-haiku-4-5',
      max_tokens: ANTHROPIC_DEFAULT_MAX_OUTPUT_TOKENS,
      system: 'You review diffs.',
      messages,
      temperature: 0,
    });
    expect(request.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('asks for JSON through the system prompt, the Messages API having no schema-free JSON switch', async () => {
    h.state.server.reply(spec.replies.generate());
    h.state.seen.push(await (await h.model()).generate({ system: 'You review diffs.', messages, json: true }));
    expect(h.requests()[0].body).toMatchObject({ system: `You review diffs.\n\n${JSON_INSTRUCTION}` });
  });

  it('streams with stream: true and the configured max_output_tokens', async () => {
    h.state.server.reply(spec.replies.stream());
    await h.collect((await h.model({ max_output_tokens: 1000 })).stream({ messages }));
    expect(h.requests()[0].body).toMatchObject({ stream: true, max_tokens: 1000 });
  });

  it('turns an overloaded_error event inside the stream into a retryable 529', async () => {
    h.state.server.reply({
      headers: { 'content-type': 'text/event-stream' },
      chunks: ['event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n'],
    });
    const model = createAnthropic({ model: 'claude-haiku-4-5', apiKey, baseURL: h.state.server.url });
    const error = await h.failure(h.collect(model.stream({ messages })));
    expect(error).toMatchObject({ name: 'LlmApiError', statusCode: 529, isRetryable: true });
  });
});
