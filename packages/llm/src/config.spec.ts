import { LlmConfigSchema, parseLlmConfig, resolveLlmConfig } from './config';

describe('LlmConfigSchema', () => {
  it('accepts every documented field', () => {
    const config = {
      provider: 'openai',
      model: 'gpt-4o',
      base_url: 'https://proxy.example.com/v1',
      api_key_name: 'TEAM_OPENAI_KEY',
      timeout_seconds: 120,
      max_retries: 3,
      requests_per_minute: 60,
      max_concurrent: 2,
      max_output_tokens: 4000,
      temperature: 0.2,
      prices: { 'gpt-4o': { input_per_mtok: 2.5, output_per_mtok: 10 } },
    };
    expect(LlmConfigSchema.parse(config)).toEqual(config);
  });

  it('rejects unknown keys, so a typo is not silently ignored', () => {
    expect(LlmConfigSchema.safeParse({ provider: 'openai', model: 'gpt-4o', max_retry: 3 }).success).toBe(false);
  });

  it('rejects an API key pasted where its name belongs', () => {
    const result = LlmConfigSchema.safeParse({ provider: 'openai', model: 'gpt-4o', api_key_name: 'sk-abc123def456' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toContain('not the key itself');
  });

  it('rejects an unknown provider and out-of-range numbers', () => {
    expect(LlmConfigSchema.safeParse({ provider: 'mistral', model: 'x' }).success).toBe(false);
    expect(LlmConfigSchema.safeParse({ provider: 'openai', model: 'x', temperature: 3 }).success).toBe(false);
    expect(LlmConfigSchema.safeParse({ provider: 'openai', model: 'x', max_retries: 1.5 }).success).toBe(false);
  });
});

describe('resolveLlmConfig', () => {
  it('gives each cloud provider its key name and base URL', () => {
    const resolve = (provider: 'openai' | 'anthropic' | 'gemini') => resolveLlmConfig(LlmConfigSchema.parse({ provider, model: 'm' }));
    expect(resolve('openai')).toMatchObject({
      apiKeyName: 'OPENAI_API_KEY',
      baseUrl: 'https://api.openai.com/v1',
      maxConcurrent: 4,
      timeoutMs: 600_000,
    });
    expect(resolve('anthropic')).toMatchObject({ apiKeyName: 'ANTHROPIC_API_KEY', baseUrl: 'https://api.anthropic.com' });
    expect(resolve('gemini')).toMatchObject({ apiKeyName: 'GEMINI_API_KEY', baseUrl: 'https://generativelanguage.googleapis.com/v1beta' });
  });

  it('gives Ollama no key, the local address, one request at a time and a longer timeout', () => {
    expect(resolveLlmConfig(LlmConfigSchema.parse({ provider: 'ollama', model: 'llama3.2' }))).toEqual({
      provider: 'ollama',
      model: 'llama3.2',
      baseUrl: 'http://127.0.0.1:11434',
      apiKeyName: undefined,
      timeoutMs: 900_000,
      maxRetries: 2,
      requestsPerMinute: undefined,
      maxConcurrent: 1,
      maxOutputTokens: undefined,
      temperature: undefined,
      prices: {},
    });
  });

  it('lets explicit values win over the defaults', () => {
    const resolved = resolveLlmConfig(
      LlmConfigSchema.parse({
        provider: 'openai',
        model: 'm',
        api_key_name: 'MY_KEY',
        timeout_seconds: 5,
        max_retries: 0,
        max_concurrent: 9,
      }),
    );
    expect(resolved).toMatchObject({ apiKeyName: 'MY_KEY', timeoutMs: 5000, maxRetries: 0, maxConcurrent: 9 });
  });
});

describe('parseLlmConfig', () => {
  it('throws LlmConfigError naming every problem as llm.<field>', () => {
    let error: unknown;
    try {
      parseLlmConfig({ provider: 'openai', model: '', timeout_seconds: -1 });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ name: 'LlmConfigError', code: 'LLM_CONFIG', provider: 'openai' });
    const fields = (error as { problems: { field: string }[] }).problems.map((p) => p.field);
    expect(fields).toEqual(['llm.model', 'llm.timeout_seconds']);
    expect((error as Error).message).toMatch(/^llm\.model: /);
  });
});
