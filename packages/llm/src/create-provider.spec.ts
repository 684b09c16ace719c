import { createLanguageModel } from './create-provider';
import { Redactor } from './redact';
import { jsonReply } from './testing/fixtures';
import { startLoopbackServer, type LoopbackServer } from './testing/loopback-server';

const ask = { messages: [{ role: 'user' as const, content: 'hi' }] };
const noKeyring = { getPassword: () => null };

describe('createLanguageModel', () => {
  let server: LoopbackServer;
  beforeEach(async () => {
    server = await startLoopbackServer();
  });
  afterEach(() => server.close());

  it('rejects with a missing-key error naming the config field, the variable and the keyring entry', async () => {
    await expect(createLanguageModel({ provider: 'openai', model: 'gpt-4o' }, { env: {}, keyring: noKeyring })).rejects.toMatchObject({
      name: 'LlmMissingApiKeyError',
      code: 'LLM_MISSING_API_KEY',
      keyName: 'OPENAI_API_KEY',
      message: expect.stringContaining("llm.api_key_name is 'OPENAI_API_KEY'"),
    });
    await expect(createLanguageModel({ provider: 'openai', model: 'gpt-4o' }, { env: {}, keyring: noKeyring })).rejects.toThrow(
      "Set OPENAI_API_KEY or store it in the OS keyring under service 'factory', account 'OPENAI_API_KEY'.",
    );
  });

  it('says why the keyring could not be read and what to do on a machine without one', async () => {
    const keyring = {
      getPassword: () => {
        throw new Error('no Secret Service');
      },
    };
    const creating = createLanguageModel({ provider: 'anthropic', model: 'claude-haiku-4-5' }, { env: {}, keyring });
    await expect(creating).rejects.toThrow(/The OS keyring could not be read \(no Secret Service\).*use the environment variable/);
  });

  it('uses a key from the keyring when the environment lacks it', async () => {
    server.reply(jsonReply('openai', 'chat-completion.json'));
    const keyring = {
      getPassword: (service: string, account: string) =>
        service === 'factory' && account === 'OPENAI_API_KEY' ? 'sk-from-keyring-000' : null,
    };
    const model = await createLanguageModel({ provider: 'openai', model: 'gpt-4o', base_url: `${server.url}/v1` }, { env: {}, keyring });
    await model.generate(ask);
    expect(server.requests[0].headers.authorization).toBe('Bearer sk-from-keyring-000');
  });

  it('reads the key under the name llm.api_key_name gives', async () => {
    server.reply(jsonReply('gemini', 'generate-content.json'));
    const model = await createLanguageModel(
      { provider: 'gemini', model: 'gemini-2.5-flash', base_url: `${server.url}/v1beta`, api_key_name: 'TEAM_GEMINI' },
      { env: { TEAM_GEMINI: 'team-key-123', GEMINI_API_KEY: 'other' }, keyring: noKeyring },
    );
    await model.generate(ask);
    expect(server.requests[0].headers['x-goog-api-key']).toBe('team-key-123');
  });

  it('rejects an invalid config with LlmConfigError', async () => {
    await expect(createLanguageModel({ provider: 'openai', model: 'gpt-4o', retries: 2 }, { env: {} })).rejects.toMatchObject({
      name: 'LlmConfigError',
    });
  });

  it("adds the key to the caller's redactor, so its logs can be redacted the same way", async () => {
    const redactor = new Redactor();
    await createLanguageModel({ provider: 'openai', model: 'gpt-4o' }, { env: { OPENAI_API_KEY: 'sk-logged-0000000' }, redactor });
    expect(redactor.names).toEqual(['OPENAI_API_KEY']);
    expect(redactor.redact('key sk-logged-0000000')).toBe('key [REDACTED:OPENAI_API_KEY]');
  });

  it('sends no more than llm.max_concurrent requests at once', async () => {
    server.reply({ ...jsonReply('ollama', 'chat.json'), delayMs: 80 }, { ...jsonReply('ollama', 'chat.json'), delayMs: 80 });
    const model = await createLanguageModel(
      { provider: 'ollama', model: 'llama3.2', base_url: server.url, max_concurrent: 1 },
      { env: {} },
    );
    await Promise.all([model.generate(ask), model.generate(ask)]);
    const [first, second] = server.requests.map((r) => r.receivedAt);
    expect(second - first).toBeGreaterThanOrEqual(70);
  });

  it('holds a second request back until llm.requests_per_minute allows it', async () => {
    server.reply(jsonReply('ollama', 'chat.json'), jsonReply('ollama', 'chat.json'));
    const model = await createLanguageModel(
      { provider: 'ollama', model: 'llama3.2', base_url: server.url, requests_per_minute: 1, max_concurrent: 5 },
      { env: {}, rateLimitIntervalMs: 5_000 },
    );
    const controller = new AbortController();
    const first = model.generate(ask);
    const second = model.generate({ ...ask, signal: controller.signal });
    await first;
    // A slow machine can only make the second request later, never earlier: the check holds under load.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.requests).toHaveLength(1);
    controller.abort();
    await expect(second).rejects.toMatchObject({ name: 'LlmAbortedError' });
    expect(server.requests).toHaveLength(1);
  });
});
