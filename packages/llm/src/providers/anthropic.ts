import type Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import { endedEarly } from '../http/failure';
import { checkShape } from '../http/fetch-json';
import { fromSdkError } from '../http/sdk-error';
import type { FetchFunction, FinishReason, GenerateRequest, GenerateResult, LanguageModel, ModelInfo, StreamChunk } from '../provider';
import { Redactor } from '../redact';
import { SDK_TIMEOUT_MS, elapsedMs, finishChunk, systemWithJson } from './common';

export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';
/** The Messages API requires `max_tokens`; this is used when neither request nor config sets one. */
export const ANTHROPIC_DEFAULT_MAX_OUTPUT_TOKENS = 4096;

export interface AnthropicSettings {
  model: string;
  apiKey: string;
  /** The name the key was looked up by; used in `[REDACTED:<NAME>]` markers. */
  apiKeyName?: string;
  /** Defaults to https://api.anthropic.com (the SDK appends `/v1/messages`). */
  baseURL?: string;
  fetch?: FetchFunction;
  headers?: Record<string, string>;
}

// Lenient schemas of the fields we read from a Message and from the stream events.
const UsageSchema = z.object({
  input_tokens: z.number().nullish(),
  output_tokens: z.number().nullish(),
  cache_creation_input_tokens: z.number().nullish(),
  cache_read_input_tokens: z.number().nullish(),
});
const MessageSchema = z.object({
  model: z.string().optional(),
  content: z.array(z.object({ type: z.string(), text: z.string().optional() })),
  stop_reason: z.string().nullish(),
  usage: UsageSchema,
});
// Stream events we read; other event types (content_block_start/stop, ping, future ones) are skipped.
const EventTypeSchema = z.object({ type: z.string() });
const MessageStartSchema = z.object({ message: z.object({ usage: UsageSchema }) });
const BlockDeltaSchema = z.object({ delta: z.object({ type: z.string(), text: z.string().optional() }) });
const MessageDeltaSchema = z.object({
  delta: z.object({ stop_reason: z.string().nullish() }),
  usage: UsageSchema.nullish(),
});

/** Anthropic through the official SDK, Messages API. */
export function createAnthropic(settings: AnthropicSettings): LanguageModel {
  const provider = 'anthropic' as const;
  const baseURL = settings.baseURL ?? ANTHROPIC_DEFAULT_BASE_URL;
  const redactor = new Redactor({ [settings.apiKeyName ?? 'ANTHROPIC_API_KEY']: settings.apiKey });
  // The SDK is loaded on the first request, not with the package: a mode that runs without a
  // model (or with another provider) never pays for loading it.
  let client: Promise<Anthropic> | undefined;
  const sdk = () =>
    (client ??= import('@anthropic-ai/sdk').then(
      ({ default: AnthropicSDK }) =>
        new AnthropicSDK({
          apiKey: settings.apiKey,
          authToken: null,
          baseURL,
          maxRetries: 0,
          timeout: SDK_TIMEOUT_MS,
          logLevel: 'off',
          defaultHeaders: settings.headers,
          ...(settings.fetch ? { fetch: settings.fetch } : {}),
        }),
    ));
  const fail = (error: unknown, signal?: AbortSignal, duringStream = false) =>
    redactor.redactError(fromSdkError(error, { provider, baseURL, signal, duringStream, statusForErrorType }), provider);

  async function generate(req: GenerateRequest): Promise<GenerateResult> {
    const start = performance.now();
    try {
      const raw = await (await sdk()).messages.create(requestBody(settings.model, req), { signal: req.signal });
      const message = checkShape(provider, MessageSchema, raw);
      return {
        text: message.content.map((block) => (block.type === 'text' ? (block.text ?? '') : '')).join(''),
        finishReason: mapStopReason(message.stop_reason),
        usage: { inputTokens: inputTokens(message.usage), outputTokens: message.usage.output_tokens ?? 0 },
        latencyMs: elapsedMs(start),
        model: message.model ?? settings.model,
      };
    } catch (error) {
      throw fail(error, req.signal);
    }
  }

  async function* stream(req: GenerateRequest): AsyncGenerator<StreamChunk> {
    const start = performance.now();
    let events: AsyncIterable<unknown>;
    try {
      events = await (await sdk()).messages.create({ ...requestBody(settings.model, req), stream: true }, { signal: req.signal });
    } catch (error) {
      throw fail(error, req.signal);
    }
    let finishReason: FinishReason = 'other';
    let stopped = false;
    const usage = { inputTokens: 0, outputTokens: 0 };
    try {
      for await (const raw of events) {
        const { type } = checkShape(provider, EventTypeSchema, raw);
        if (type === 'message_start') {
          const { message } = checkShape(provider, MessageStartSchema, raw);
          usage.inputTokens = inputTokens(message.usage);
          usage.outputTokens = message.usage.output_tokens ?? 0;
        } else if (type === 'content_block_delta') {
          const { delta } = checkShape(provider, BlockDeltaSchema, raw);
          if (delta.type === 'text_delta' && delta.text) yield { type: 'text-delta', text: delta.text };
        } else if (type === 'message_delta') {
          const event = checkShape(provider, MessageDeltaSchema, raw);
          finishReason = mapStopReason(event.delta.stop_reason);
          // message_delta usage is cumulative; input counts appear here only on some API versions.
          if (event.usage?.output_tokens != null) usage.outputTokens = event.usage.output_tokens;
          if (event.usage?.input_tokens != null) usage.inputTokens = inputTokens(event.usage);
        } else if (type === 'message_stop') {
          stopped = true;
        }
      }
    } catch (error) {
      throw fail(error, req.signal, true);
    }
    if (!stopped) throw redactor.redactError(endedEarly(provider, req.signal), provider);
    yield finishChunk(finishReason, usage, start);
  }

  async function listModels(opts: { signal?: AbortSignal } = {}): Promise<ModelInfo[]> {
    try {
      const models: ModelInfo[] = [];
      for await (const model of (await sdk()).models.list({ limit: 100 }, { signal: opts.signal })) {
        models.push({ id: model.id, displayName: model.display_name });
      }
      return models;
    } catch (error) {
      throw fail(error, opts.signal);
    }
  }

  return { provider, modelId: settings.model, generate, stream, listModels };
}

function requestBody(model: string, req: GenerateRequest) {
  const system = systemWithJson(req.system, req.json);
  return {
    model,
    max_tokens: req.maxOutputTokens ?? ANTHROPIC_DEFAULT_MAX_OUTPUT_TOKENS,
    ...(system ? { system } : {}),
    messages: req.messages.map((m) => ({ role: m.role, content: m.content })),
    ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
  };
}

/** Cached prompt tokens are reported apart from `input_tokens`; all of them were read. */
function inputTokens(usage: z.infer<typeof UsageSchema>): number {
  return (usage.input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0);
}

/** An `event: error` inside a stream has a type but no status; give it the status the API uses for it. */
function statusForErrorType(type: string): number | undefined {
  const statuses: Record<string, number> = {
    invalid_request_error: 400,
    authentication_error: 401,
    permission_error: 403,
    not_found_error: 404,
    request_too_large: 413,
    rate_limit_error: 429,
    api_error: 500,
    overloaded_error: 529,
  };
  return statuses[type];
}

function mapStopReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
    case 'pause_turn':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool-calls';
    case 'refusal':
      return 'content-filter';
    default:
      return 'other';
  }
}
