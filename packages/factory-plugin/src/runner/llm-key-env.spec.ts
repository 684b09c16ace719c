import { PROVIDER_DEFAULTS } from '@factory/llm';
import { DEFAULT_LLM_KEY_ENV, llmKeyEnv } from './inferred-contract';

describe('llmKeyEnv', () => {
  it("knows each provider's default key variable as @factory/llm does", () => {
    const fromLlm = Object.fromEntries(Object.entries(PROVIDER_DEFAULTS).flatMap(([p, d]) => (d.apiKeyName ? [[p, d.apiKeyName]] : [])));
    expect(DEFAULT_LLM_KEY_ENV).toEqual(fromLlm);
  });

  it('prefers api_key_name, and ignores what is not a variable name', () => {
    expect(llmKeyEnv({ provider: 'openai', api_key_name: 'TEAM_KEY' })).toBe('TEAM_KEY');
    expect(llmKeyEnv({ provider: 'openai', api_key_name: 'sk-not a name' })).toBe('OPENAI_API_KEY');
    expect(llmKeyEnv({ provider: 'ollama' })).toBeUndefined();
    expect(llmKeyEnv(undefined)).toBeUndefined();
  });
});
