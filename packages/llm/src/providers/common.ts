/**
 * Small helpers shared by the provider adapters. Providers never import each other;
 * they share only this file and `../http`.
 */
import type { FinishReason, StreamChunk, TokenUsage } from '../provider';

/** Milliseconds since `start` (from `performance.now()`), rounded. */
export function elapsedMs(start: number): number {
  return Math.max(0, Math.round(performance.now() - start));
}

export function finishChunk(finishReason: FinishReason, usage: TokenUsage, start: number): StreamChunk {
  return { type: 'finish', finishReason, usage, latencyMs: elapsedMs(start) };
}

/** A base URL without trailing slashes, so paths can be appended with `/`. */
export function trimBaseUrl(url: string): string {
  return url.replace(/\/+$/, '');
}

/**
 * Said to providers without a JSON switch that accepts no schema (Anthropic), in the system prompt.
 */
export const JSON_INSTRUCTION = 'Answer with a single JSON object and nothing else: no prose before or after it, no Markdown code fences.';

export function systemWithJson(system: string | undefined, json: boolean | undefined): string | undefined {
  if (!json) return system;
  return system ? `${system}\n\n${JSON_INSTRUCTION}` : JSON_INSTRUCTION;
}

/** How long the SDKs wait before their own timeout; ours (llm.timeout_seconds) is the one that counts. */
export const SDK_TIMEOUT_MS = 24 * 60 * 60 * 1000;
