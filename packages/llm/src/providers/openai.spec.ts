import { randomUUID } from 'node:crypto';
import { jsonReply, sseReply } from '../testing/fixtures';
import { describeProviderConformance, useProviderHarness, type ProviderCase } from '../testing/provider-suite';
import { createOpenAI } from './openai';

const apiKey = `sk-canary-${randomUUID()}`;
const answer = '{"verdict":"approve","reason":"The diff only touches files the contract allows."}';

const spec: ProviderCase = {
  provider: 'openai',
  model: 'gpt-4o',
  keyName: 'OPENAI_API_KEY',
  apiKey,
  basePath: '/v1',
  authHeader: ['authorization', `Bearer ${apiKey}`],
  paths: { generate: '/v1/chat/completions', stream: '/v1/chat/completions', list: ['/v1/models'] },
  replies: {
    generate: () => jsonReply('openai', 'chat-completion.json'),
    stream: (cutAfter) => sseReply('openai', 'chat-completion-stream.sse', cutAfter),
    list: () => [jsonReply('openai', 'models.json')],
    rateLimited: () => jsonReply('openai', 'error-429.json', 429, { 'retry-after': '2' }),
    serverError: () => jsonReply('openai', 'error-500.json', 500),
    malformed: () => jsonReply('openai', 'malformed.json'),
    badKey: () => jsonReply('openai', 'error-401.json', 401, {}, apiKey),
  },
  eventsThroughFirstText: 2,
  eventsBeforeText: 1,
  expected: {
    text: answer,
    finishReason: 'stop',
    usage: { inputTokens: 182, outputTokens: 21 },
    model: 'gpt-4o-2024-08-06',
    streamTexts: ['Hello', '!', ' The', ' tests', ' pass', '.'],
    streamUsage: { inputTokens: 19, outputTokens: 7 },
    models: ['gpt-4o-2024-08-06', 'gpt-4o', 'gpt-4o-mini'],
    rateLimitWaitMs: 2000,
    badKeyStatus: 401,
  },
};

describeProviderConformance(spec);

describe('createOpenAI requests', () => {
  const h = useProviderHarness(spec);
  const messages = [
    { role: 'user' as const, content: 'Review this diff.' },
    { role: 'assistant' as const, content: 'Which contract?' },
    { role: 'user' as const, content: 'billing.yaml' },
  ];

  it('posts the model, the system prompt as a system message, the conversation and the limits', async () => {
    h.state.server.reply(spec.replies.generate());
    const model = await h.model({ max_output_tokens: 512, temperature: 0.2 });
    h.state.seen.push(await model.generate({ system: 'You review diffs.', messages }));
    expect(h.requests()[0].body).toEqual({
      model: 'gpt-4o',
      messages: [{ role: 'system', content: 'You review diffs.' }, ...messages],
      max_completion_tokens: 512,
      temperature: 0.2,
    });
  });

  it('asks for a JSON object with response_format when json is set', async () => {
    h.state.server.reply(spec.replies.generate());
    h.state.seen.push(await (await h.model()).generate({ messages, json: true }));
    expect(h.requests()[0].body).toMatchObject({ response_format: { type: 'json_object' } });
  });

  it('streams with stream: true and stream_options.include_usage', async () => {
    h.state.server.reply(spec.replies.stream());
    await h.collect((await h.model()).stream({ messages }));
    expect(h.requests()[0].body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(h.requests()[0].headers.accept).toBe('application/json');
  });

  it('sends every request through the injected fetch', async () => {
    h.state.server.reply(spec.replies.generate());
    const urls: string[] = [];
    const model = createOpenAI({
      model: 'gpt-4o',
      apiKey,
      baseURL: `${h.state.server.url}/v1`,
      fetch: (input, init) => {
        urls.push(String(input));
        return fetch(input, init);
      },
    });
    h.state.seen.push(await model.generate({ messages }));
    expect(urls).toEqual([`${h.state.server.url}/v1/chat/completions`]);
  });
});
