import type OpenAI from 'openai';
import { z } from 'zod';
import { endedEarly } from '../http/failure';
import { checkShape } from '../http/fetch-json';
import { fromSdkError } from '../http/sdk-error';
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
import { SDK_TIMEOUT_MS, elapsedMs, finishChunk } from './common';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export interface OpenAISettings {
  model: string;
  apiKey: string;
  /** The name the key was looked up by; used in `[REDACTED:<NAME>]` markers. */
  apiKeyName?: string;
  /** Defaults to https://api.openai.com/v1; any Chat Completions compatible server works. */
  baseURL?: string;
  fetch?: FetchFunction;
  headers?: Record<string, string>;
}

// Lenient schemas of the fields we read from chat.completion and chat.completion.chunk.
const UsageSchema = z.object({ prompt_tokens: z.number(), completion_tokens: z.number() });
const CompletionSchema = z.object({
  model: z.string().optional(),
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullish(), refusal: z.string().nullish() }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1),
  usage: UsageSchema.nullish(),
});
const ChunkSchema = z.object({
  model: z.string().optional(),
  choices: z
    .array(z.object({ delta: z.object({ content: z.string().nullish() }).nullish(), finish_reason: z.string().nullish() }))
    .nullish(),
  usage: UsageSchema.nullish(),
});

/** OpenAI through the official SDK, Chat Completions API. */
export function createOpenAI(settings: OpenAISettings): LanguageModel {
  const provider = 'openai' as const;
  const baseURL = settings.baseURL ?? OPENAI_DEFAULT_BASE_URL;
  const redactor = new Redactor({ [settings.apiKeyName ?? 'OPENAI_API_KEY']: settings.apiKey });
  // The SDK is loaded on the first request, not with the package: a mode that runs without a
  // model (or with another provider) never pays for loading it.
  let client: Promise<OpenAI> | undefined;
  const sdk = () =>
    (client ??= import('openai').then(
      ({ default: OpenAISDK }) =>
        new OpenAISDK({
          apiKey: settings.apiKey,
          baseURL,
          organization: null,
          project: null,
          maxRetries: 0,
          timeout: SDK_TIMEOUT_MS,
          logLevel: 'off',
          defaultHeaders: settings.headers,
          ...(settings.fetch ? { fetch: settings.fetch } : {}),
        }),
    ));
  const fail = (error: unknown, signal?: AbortSignal, duringStream = false) =>
    redactor.redactError(fromSdkError(error, { provider, baseURL, signal, duringStream }), provider);

  async function generate(req: GenerateRequest): Promise<GenerateResult> {
    const start = performance.now();
    try {
      const raw = await (await sdk()).chat.completions.create(requestBody(settings.model, req), { signal: req.signal });
      const completion = checkShape(provider, CompletionSchema, raw);
      const choice = completion.choices[0];
      return {
        text: choice.message.content ?? choice.message.refusal ?? '',
        finishReason: mapFinishReason(choice.finish_reason),
        usage: toUsage(completion.usage),
        latencyMs: elapsedMs(start),
        model: completion.model ?? settings.model,
      };
    } catch (error) {
      throw fail(error, req.signal);
    }
  }

  async function* stream(req: GenerateRequest): AsyncGenerator<StreamChunk> {
    const start = performance.now();
    let events: AsyncIterable<unknown>;
    try {
      events = await (
        await sdk()
      ).chat.completions.create(
        { ...requestBody(settings.model, req), stream: true, stream_options: { include_usage: true } },
        { signal: req.signal },
      );
    } catch (error) {
      throw fail(error, req.signal);
    }
    let finishReason: FinishReason | undefined;
    let usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
    try {
      for await (const raw of events) {
        const chunk = checkShape(provider, ChunkSchema, raw);
        const choice = chunk.choices?.[0];
        const text = choice?.delta?.content;
        if (text) yield { type: 'text-delta', text };
        if (choice?.finish_reason) finishReason = mapFinishReason(choice.finish_reason);
        if (chunk.usage) usage = toUsage(chunk.usage);
      }
    } catch (error) {
      throw fail(error, req.signal, true);
    }
    if (finishReason === undefined) throw redactor.redactError(endedEarly(provider, req.signal), provider);
    yield finishChunk(finishReason, usage, start);
  }

  async function listModels(opts: { signal?: AbortSignal } = {}): Promise<ModelInfo[]> {
    try {
      const models: ModelInfo[] = [];
      for await (const model of (await sdk()).models.list({ signal: opts.signal })) models.push({ id: model.id });
      return models;
    } catch (error) {
      throw fail(error, opts.signal);
    }
  }

  return { provider, modelId: settings.model, generate, stream, listModels };
}

function requestBody(model: string, req: GenerateRequest) {
  return {
    model,
    messages: [
      ...(req.system ? [{ role: 'system' as const, content: req.system }] : []),
      ...req.messages.map((m) => ({ role: m.role, content: m.content })),
    ],
    ...(req.maxOutputTokens !== undefined ? { max_completion_tokens: req.maxOutputTokens } : {}),
    ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
    ...(req.json ? { response_format: { type: 'json_object' as const } } : {}),
  };
}

function toUsage(usage: z.infer<typeof UsageSchema> | null | undefined): TokenUsage {
  return { inputTokens: usage?.prompt_tokens ?? 0, outputTokens: usage?.completion_tokens ?? 0 };
}

function mapFinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    case 'content_filter':
      return 'content-filter';
    case 'tool_calls':
    case 'function_call':
      return 'tool-calls';
    default:
      return 'other';
  }
}
