import { randomUUID } from 'node:crypto';
import { jsonReply, sseReply } from '../testing/fixtures';
import { describeProviderConformance, useProviderHarness, type ProviderCase } from '../testing/provider-suite';
import { createGemini } from './gemini';

const apiKey = `AIza-canary-${randomUUID()}`;

const spec: ProviderCase = {
  provider: 'gemini',
  model: 'gemini-2.5-flash',
  keyName: 'GEMINI_API_KEY',
  apiKey,
  basePath: '/v1beta',
  authHeader: ['x-goog-api-key', apiKey],
  paths: {
    generate: '/v1beta/models/gemini-2.5-flash:generateContent',
    stream: '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
    list: ['/v1beta/models?pageSize=1000', '/v1beta/models?pageSize=1000&pageToken=Ch1tb2RlbHMvZ2VtaW5pLTIuNS1wcm8%3D'],
  },
  replies: {
    generate: () => jsonReply('gemini', 'generate-content.json'),
    stream: (cutAfter) => sseReply('gemini', 'stream-generate-content.sse', cutAfter),
    list: () => [jsonReply('gemini', 'models-page-1.json'), jsonReply('gemini', 'models-page-2.json')],
    // Gemini puts the wait in the body (RetryInfo.retryDelay = "2s"), not in a header.
    rateLimited: () => jsonReply('gemini', 'error-429.json', 429),
    serverError: () => jsonReply('gemini', 'error-500.json', 500),
    malformed: () => jsonReply('gemini', 'malformed.json'),
    badKey: () => jsonReply('gemini', 'error-400-key.json', 400, {}, apiKey),
  },
  eventsThroughFirstText: 1,
  eventsBeforeText: 0,
  expected: {
    text: '{"verdict":"approve","reason":"The diff only touches files the contract allows."}',
    finishReason: 'stop',
    // candidatesTokenCount 20 + thoughtsTokenCount 62
    usage: { inputTokens: 38, outputTokens: 82 },
    model: 'gemini-2.5-flash',
    streamTexts: ['Hello', '! The tests', ' pass.'],
    streamUsage: { inputTokens: 9, outputTokens: 36 },
    models: ['gemini-2.5-flash', 'gemini-2.5-pro'],
    rateLimitWaitMs: 2000,
    badKeyStatus: 400,
  },
};

describeProviderConformance(spec);

describe('createGemini requests', () => {
  const h = useProviderHarness(spec);
  const messages = [
    { role: 'user' as const, content: 'Review this diff.' },
    { role: 'assistant' as const, content: 'Which contract?' },
    { role: 'user' as const, content: 'billing.yaml' },
  ];

  it('posts contents with user/model roles, the systemInstruction and the generationConfig', async () => {
    h.state.server.reply(spec.replies.generate());
    const model = await h.model({ max_output_tokens: 2048, temperature: 0.3 });
    h.state.seen.push(await model.generate({ system: 'You review diffs.', messages }));
    expect(h.requests()[0].body).toEqual({
      contents: [
        { role: 'user', parts: [{ text: 'Review this diff.' }] },
        { role: 'model', parts: [{ text: 'Which contract?' }] },
        { role: 'user', parts: [{ text: 'billing.yaml' }] },
      ],
      systemInstruction: { parts: [{ text: 'You review diffs.' }] },
      generationConfig: { maxOutputTokens: 2048, temperature: 0.3 },
    });
  });

  it('asks for JSON with responseMimeType application/json', async () => {
    h.state.server.reply(spec.replies.generate());
    h.state.seen.push(await (await h.model()).generate({ messages, json: true }));
    expect(h.requests()[0].body).toMatchObject({ generationConfig: { responseMimeType: 'application/json' } });
  });

  it('accepts a model id with the models/ prefix', async () => {
    h.state.server.reply(spec.replies.generate());
    const model = createGemini({ model: 'models/gemini-2.5-flash', apiKey, baseURL: `${h.state.server.url}/v1beta` });
    h.state.seen.push(await model.generate({ messages }));
    expect(h.requests()[0].path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
  });

  it('reports a prompt blocked by safety filters as content-filter with no text', async () => {
    h.state.server.reply({
      body: JSON.stringify({
        promptFeedback: { blockReason: 'SAFETY' },
        usageMetadata: { promptTokenCount: 7, totalTokenCount: 7 },
        modelVersion: 'gemini-2.5-flash',
      }),
    });
    const model = createGemini({ model: 'gemini-2.5-flash', apiKey, baseURL: `${h.state.server.url}/v1beta` });
    const result = await model.generate({ messages });
    h.state.seen.push(result);
    expect(result).toMatchObject({ text: '', finishReason: 'content-filter', usage: { inputTokens: 7, outputTokens: 0 } });
  });
});
