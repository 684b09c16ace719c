import { z } from 'zod';
import { bodyEvents } from '../http/body-lines';
import { endedEarly, streamFailure, toLlmError } from '../http/failure';
import { checkShape, parseJson, readJson, send } from '../http/fetch-json';
import type {
  FetchFunction,
  FinishReason,
  GenerateRequest,
  GenerateResult,
  LanguageModel,
  ModelInfo,
  StreamChunk,
  TokenUsage,
} from '../provider';
import { Redactor } from '../redact';
import { elapsedMs, finishChunk, trimBaseUrl } from './common';

export const GEMINI_DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com/v1beta';
/** Pages of `models.list` followed at most, so a misbehaving server cannot loop us forever. */
const MAX_MODEL_PAGES = 20;

export interface GeminiSettings {
  /** `gemini-2.5-flash` or `models/gemini-2.5-flash`. */
  model: string;
  apiKey: string;
  apiKeyName?: string;
  /** Defaults to https://generativelanguage.googleapis.com/v1beta. */
  baseURL?: string;
  fetch?: FetchFunction;
  headers?: Record<string, string>;
}

// Lenient schemas of GenerateContentResponse (whole, or one SSE event) and ListModelsResponse.
const ResponseSchema = z.object({
  candidates: z
    .array(
      z.object({
        content: z
          .object({ parts: z.array(z.object({ text: z.string().optional(), thought: z.boolean().optional() })).optional() })
          .optional(),
        finishReason: z.string().optional(),
      }),
    )
    .optional(),
  promptFeedback: z.object({ blockReason: z.string().optional() }).optional(),
  usageMetadata: z
    .object({
      promptTokenCount: z.number().optional(),
      candidatesTokenCount: z.number().optional(),
      thoughtsTokenCount: z.number().optional(),
    })
    .optional(),
  modelVersion: z.string().optional(),
});
type GeminiResponse = z.infer<typeof ResponseSchema>;
const ModelsSchema = z.object({
  models: z.array(z.object({ name: z.string(), displayName: z.string().optional() })).optional(),
  nextPageToken: z.string().optional(),
});

/** Gemini through its REST API: `models/{model}:generateContent`, `:streamGenerateContent?alt=sse`, `models`. */
export function createGemini(settings: GeminiSettings): LanguageModel {
  const provider = 'gemini' as const;
  const baseURL = trimBaseUrl(settings.baseURL ?? GEMINI_DEFAULT_BASE_URL);
  const modelPath = settings.model.startsWith('models/') ? settings.model : `models/${settings.model}`;
  const fetchFn = settings.fetch ?? globalThis.fetch;
  const redactor = new Redactor({ [settings.apiKeyName ?? 'GEMINI_API_KEY']: settings.apiKey });
  // The key goes in a header, never in the URL, so it cannot end up in a logged URL.
  const headers = { 'x-goog-api-key': settings.apiKey, ...settings.headers };
  const fail = (error: unknown, signal?: AbortSignal) => redactor.redactError(toLlmError(provider, error, signal), provider);
  const post = (path: string, req: GenerateRequest) =>
    send({
      provider,
      fetch: fetchFn,
      url: `${baseURL}/${path}`,
      method: 'POST',
      headers,
      body: requestBody(req),
      signal: req.signal,
      retryAfterFromBody,
    });

  async function generate(req: GenerateRequest): Promise<GenerateResult> {
    const start = performance.now();
    try {
      const reply = await readJson(provider, await post(`${modelPath}:generateContent`, req), ResponseSchema, req.signal);
      return {
        text: textOf(reply),
        finishReason: finishOf(reply) ?? 'other',
        usage: usageOf(reply),
        latencyMs: elapsedMs(start),
        model: reply.modelVersion ?? settings.model,
      };
    } catch (error) {
      throw fail(error, req.signal);
    }
  }

  async function* stream(req: GenerateRequest): AsyncGenerator<StreamChunk> {
    const start = performance.now();
    let response: Response;
    try {
      response = await post(`${modelPath}:streamGenerateContent?alt=sse`, req);
    } catch (error) {
      throw fail(error, req.signal);
    }
    if (!response.body) throw fail(endedEarly(provider, req.signal), req.signal);
    let finishReason: FinishReason | undefined;
    let usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
    try {
      for await (const event of bodyEvents(response.body)) {
        const reply = checkShape(provider, ResponseSchema, parseJson(provider, event.data));
        const text = textOf(reply);
        if (text) yield { type: 'text-delta', text };
        // Each event carries the usage so far; the last one has the totals.
        if (reply.usageMetadata) usage = usageOf(reply);
        finishReason = finishOf(reply) ?? finishReason;
      }
    } catch (error) {
      throw redactor.redactError(streamFailure(provider, error, req.signal), provider);
    }
    // Gemini sends no terminator event: the stream is complete once a finishReason arrived.
    if (finishReason === undefined) throw fail(endedEarly(provider, req.signal), req.signal);
    yield finishChunk(finishReason, usage, start);
  }

  async function listModels(opts: { signal?: AbortSignal } = {}): Promise<ModelInfo[]> {
    try {
      const models: ModelInfo[] = [];
      let pageToken: string | undefined;
      for (let page = 0; page < MAX_MODEL_PAGES; page++) {
        const query = `pageSize=1000${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ''}`;
        const response = await send({
          provider,
          fetch: fetchFn,
          url: `${baseURL}/models?${query}`,
          method: 'GET',
          headers,
          signal: opts.signal,
        });
        const list = await readJson(provider, response, ModelsSchema, opts.signal);
        for (const m of list.models ?? []) models.push({ id: m.name.replace(/^models\//, ''), displayName: m.displayName });
        pageToken = list.nextPageToken;
        if (!pageToken) break;
      }
      return models;
    } catch (error) {
      throw fail(error, opts.signal);
    }
  }

  return { provider, modelId: settings.model, generate, stream, listModels };
}

function requestBody(req: GenerateRequest) {
  const generationConfig = {
    ...(req.maxOutputTokens !== undefined ? { maxOutputTokens: req.maxOutputTokens } : {}),
    ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
    ...(req.json ? { responseMimeType: 'application/json' } : {}),
  };
  return {
    contents: req.messages.map((m) => ({ role: m.role === 'assistant' ? 'model' : 'user', parts: [{ text: m.content }] })),
    ...(req.system ? { systemInstruction: { parts: [{ text: req.system }] } } : {}),
    ...(Object.keys(generationConfig).length > 0 ? { generationConfig } : {}),
  };
}

/** Text of the first candidate, without thought summaries. */
function textOf(reply: GeminiResponse): string {
  const parts = reply.candidates?.[0]?.content?.parts ?? [];
  return parts.map((p) => (p.thought ? '' : (p.text ?? ''))).join('');
}

function usageOf(reply: GeminiResponse): TokenUsage {
  const u = reply.usageMetadata;
  // Thinking tokens are billed as output but counted apart from the candidates.
  return { inputTokens: u?.promptTokenCount ?? 0, outputTokens: (u?.candidatesTokenCount ?? 0) + (u?.thoughtsTokenCount ?? 0) };
}

function finishOf(reply: GeminiResponse): FinishReason | undefined {
  if (reply.promptFeedback?.blockReason) return 'content-filter';
  const reason = reply.candidates?.[0]?.finishReason;
  if (reason === undefined) return undefined;
  if (reason === 'STOP') return 'stop';
  if (reason === 'MAX_TOKENS') return 'length';
  if (['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY'].includes(reason)) return 'content-filter';
  if (reason === 'MALFORMED_FUNCTION_CALL') return 'error';
  return 'other';
}

/** Gemini puts the wait in the body: `error.details[{ '@type': '…RetryInfo', retryDelay: '30s' }]`. */
function retryAfterFromBody(body: string): number | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const details = (parsed as { error?: { details?: unknown } })?.error?.details;
  if (!Array.isArray(details)) return undefined;
  for (const detail of details) {
    const delay = (detail as { retryDelay?: unknown })?.retryDelay;
    const match = typeof delay === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(delay) : null;
    if (match) return Math.round(Number(match[1]) * 1000);
  }
  return undefined;
}
