/**
 * @factory/llm: one LanguageModel interface over OpenAI, Anthropic, Ollama and Gemini, with
 * retries, rate limits, timeouts, usage accounting, secret lookup and redaction. No Nx.
 */
export * from './provider';
export * from './errors';
export { createOpenAI, OPENAI_DEFAULT_BASE_URL, type OpenAISettings } from './providers/openai';
export {
  createAnthropic,
  ANTHROPIC_DEFAULT_BASE_URL,
  ANTHROPIC_DEFAULT_MAX_OUTPUT_TOKENS,
  type AnthropicSettings,
} from './providers/anthropic';
export { createOllama, OLLAMA_DEFAULT_BASE_URL, type OllamaSettings } from './providers/ollama';
export { createGemini, GEMINI_DEFAULT_BASE_URL, type GeminiSettings } from './providers/gemini';
export * from './retry';
export * from './rate-limit';
export * from './redact';
export * from './secrets';
export * from './secret-store';
export * from './usage';
export * from './config';
export * from './create-provider';
export { withRetry, type WithRetryOptions } from './middleware/with-retry';
export { withRateLimit } from './middleware/with-rate-limit';
export { withTimeout } from './middleware/with-timeout';
export { withRedaction } from './middleware/with-redaction';
export { withDefaults, type RequestDefaults } from './middleware/with-defaults';
export { withUsage } from './middleware/with-usage';
export * from './modes';
