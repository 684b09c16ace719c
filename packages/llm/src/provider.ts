/**
 * The one interface every LLM provider implements. Callers (spec drafting, diff review,
 * change-order implementation, stage rescue) depend on this and nothing provider-specific.
 * Modelled on the shape of vercel/ai's `LanguageModelV2`, reduced to what Factory needs:
 * plain text in, plain text out, with usage, finish reason and cancellation.
 */

/** The providers Factory talks to. */
export type ProviderName = 'openai' | 'anthropic' | 'ollama' | 'gemini';

export const PROVIDER_NAMES: readonly ProviderName[] = ['openai', 'anthropic', 'ollama', 'gemini'];

/** One turn of the conversation. The system prompt travels separately in `GenerateRequest.system`. */
export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
}

export interface GenerateRequest {
  system?: string;
  messages: ChatMessage[];
  /** Upper bound on generated tokens; providers that require one get a default. */
  maxOutputTokens?: number;
  temperature?: number;
  /** Ask for a single JSON object as the answer (each provider's JSON mode). */
  json?: boolean;
  /** Cancels the request, its retries and any wait for a rate-limit slot. */
  signal?: AbortSignal;
}

/**
 * Why generation stopped, normalised across providers:
 * `stop` (natural end or stop sequence), `length` (hit the token limit),
 * `content-filter` (refused or blocked), `tool-calls`, `error`, `other`.
 */
export type FinishReason = 'stop' | 'length' | 'content-filter' | 'tool-calls' | 'error' | 'other';

/** Token counts as the provider reported them; 0 where the provider reported nothing. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface GenerateResult {
  text: string;
  finishReason: FinishReason;
  usage: TokenUsage;
  /** Wall-clock time of the successful HTTP exchange, in milliseconds. */
  latencyMs: number;
  /** The model the provider says answered (may be more specific than the one asked for). */
  model: string;
}

export type StreamChunk =
  { type: 'text-delta'; text: string } | { type: 'finish'; finishReason: FinishReason; usage: TokenUsage; latencyMs: number };

export interface ModelInfo {
  id: string;
  displayName?: string;
}

export interface LanguageModel {
  readonly provider: ProviderName;
  readonly modelId: string;
  generate(req: GenerateRequest): Promise<GenerateResult>;
  /** Text deltas in order, then exactly one `finish` chunk. */
  stream(req: GenerateRequest): AsyncIterable<StreamChunk>;
  listModels(opts?: { signal?: AbortSignal }): Promise<ModelInfo[]>;
}

/** The `fetch` signature providers accept, so tests and proxies can inject their own. */
export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
