import { z } from 'zod';
import { bodyLines } from '../http/body-lines';
import { apiError } from '../http/error-body';
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

export const OLLAMA_DEFAULT_BASE_URL = 'http://127.0.0.1:11434';

export interface OllamaSettings {
  model: string;
  /** Defaults to http://127.0.0.1:11434 (paths `/api/chat`, `/api/tags` are appended). */
  baseURL?: string;
  /** Only for an Ollama behind an authenticating proxy; sent as a bearer token. */
  apiKey?: string;
  apiKeyName?: string;
  fetch?: FetchFunction;
  headers?: Record<string, string>;
}

// Lenient schemas of the /api/chat response (whole, or one NDJSON line) and of /api/tags.
const ChatSchema = z.object({
  model: z.string().optional(),
  message: z.object({ content: z.string().optional() }).optional(),
  done: z.boolean().optional(),
  done_reason: z.string().nullish(),
  // Ollama leaves prompt_eval_count out when the whole prompt came from its cache.
  prompt_eval_count: z.number().optional(),
  eval_count: z.number().optional(),
  error: z.string().optional(),
});
const TagsSchema = z.object({ models: z.array(z.object({ name: z.string(), model: z.string().optional() })) });

/** Ollama through its HTTP API: `/api/chat` (JSON, or NDJSON when streaming) and `/api/tags`. */
export function createOllama(settings: OllamaSettings): LanguageModel {
  const provider = 'ollama' as const;
  const baseURL = trimBaseUrl(settings.baseURL ?? OLLAMA_DEFAULT_BASE_URL);
  const fetchFn = settings.fetch ?? globalThis.fetch;
  const redactor = new Redactor(settings.apiKey ? { [settings.apiKeyName ?? 'OLLAMA_API_KEY']: settings.apiKey } : {});
  const headers = {
    ...(settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {}),
    ...settings.headers,
  };
  const fail = (error: unknown, signal?: AbortSignal) => redactor.redactError(toLlmError(provider, error, signal), provider);
  const chat = (req: GenerateRequest, stream: boolean) =>
    send({
      provider,
      fetch: fetchFn,
      url: `${baseURL}/api/chat`,
      method: 'POST',
      headers,
      body: requestBody(settings.model, req, stream),
      signal: req.signal,
    });

  async function generate(req: GenerateRequest): Promise<GenerateResult> {
    const start = performance.now();
    try {
      const reply = await readJson(provider, await chat(req, false), ChatSchema, req.signal);
      if (reply.error) throw apiError({ provider, body: JSON.stringify(reply) });
      return {
        text: reply.message?.content ?? '',
        finishReason: mapDoneReason(reply.done_reason),
        usage: toUsage(reply),
        latencyMs: elapsedMs(start),
        model: reply.model ?? settings.model,
      };
    } catch (error) {
      throw fail(error, req.signal);
    }
  }

  async function* stream(req: GenerateRequest): AsyncGenerator<StreamChunk> {
    const start = performance.now();
    let response: Response;
    try {
      response = await chat(req, true);
    } catch (error) {
      throw fail(error, req.signal);
    }
    if (!response.body) throw fail(endedEarly(provider, req.signal), req.signal);
    let last: z.infer<typeof ChatSchema> | undefined;
    try {
      for await (const line of bodyLines(response.body)) {
        const part = checkShape(provider, ChatSchema, parseJson(provider, line));
        // An error after the stream started arrives as a line of its own.
        if (part.error) throw apiError({ provider, body: line });
        if (part.message?.content) yield { type: 'text-delta', text: part.message.content };
        if (part.done) {
          last = part;
          break;
        }
      }
    } catch (error) {
      throw redactor.redactError(streamFailure(provider, error, req.signal), provider);
    }
    if (!last) throw fail(endedEarly(provider, req.signal), req.signal);
    yield finishChunk(mapDoneReason(last.done_reason), toUsage(last), start);
  }

  async function listModels(opts: { signal?: AbortSignal } = {}): Promise<ModelInfo[]> {
    try {
      const response = await send({ provider, fetch: fetchFn, url: `${baseURL}/api/tags`, method: 'GET', headers, signal: opts.signal });
      const tags = await readJson(provider, response, TagsSchema, opts.signal);
      return tags.models.map((m) => ({ id: m.name }));
    } catch (error) {
      throw fail(error, opts.signal);
    }
  }

  return { provider, modelId: settings.model, generate, stream, listModels };
}

function requestBody(model: string, req: GenerateRequest, stream: boolean) {
  const options = {
    ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
    ...(req.maxOutputTokens !== undefined ? { num_predict: req.maxOutputTokens } : {}),
  };
  return {
    model,
    messages: [
      ...(req.system ? [{ role: 'system', content: req.system }] : []),
      ...req.messages.map((m) => ({ role: m.role, content: m.content })),
    ],
    stream,
    ...(req.json ? { format: 'json' } : {}),
    ...(Object.keys(options).length > 0 ? { options } : {}),
  };
}

function toUsage(reply: { prompt_eval_count?: number; eval_count?: number }): TokenUsage {
  return { inputTokens: reply.prompt_eval_count ?? 0, outputTokens: reply.eval_count ?? 0 };
}

function mapDoneReason(reason: string | null | undefined): FinishReason {
  if (reason === 'stop') return 'stop';
  if (reason === 'length') return 'length';
  return 'other';
}
