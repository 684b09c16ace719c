/**
 * Loads the recorded provider responses in `src/__fixtures__/<provider>/` and shapes them into
 * loopback replies: JSON bodies as they are, `.sse` files split into their events, `.ndjson`
 * files into their lines, so streaming tests receive them piece by piece.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Reply } from './loopback-server';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixturesDir = path.join(here, '..', '__fixtures__');

/** The text of a fixture; `{{API_KEY}}` in it is replaced by `apiKey` when given. */
export function fixture(provider: string, name: string, apiKey?: string): string {
  const text = readFileSync(path.join(fixturesDir, provider, name), 'utf8');
  return apiKey === undefined ? text : text.split('{{API_KEY}}').join(apiKey);
}

/** A JSON fixture as a reply with the given status and extra headers. */
export function jsonReply(provider: string, name: string, status = 200, headers: Record<string, string> = {}, apiKey?: string): Reply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: fixture(provider, name, apiKey) };
}

/** The events of an `.sse` fixture, each with its terminating blank line. */
export function sseEvents(provider: string, name: string): string[] {
  // Split after each blank line, keeping the file's own line endings (Gemini uses CRLF).
  return fixture(provider, name)
    .split(/(?<=\r?\n\r?\n)/)
    .filter((event) => event.trim() !== '');
}

/** The lines of an `.ndjson` fixture, each with its newline. */
export function ndjsonLines(provider: string, name: string): string[] {
  return fixture(provider, name)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => `${line}\n`);
}

/** An event-stream reply, optionally cut after the first `cutAfter` events. */
export function sseReply(provider: string, name: string, cutAfter?: number): Reply {
  const events = sseEvents(provider, name);
  return {
    headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
    chunks: cutAfter === undefined ? events : events.slice(0, cutAfter),
    chunkDelayMs: 2,
    cutAfterChunks: cutAfter !== undefined,
  };
}

/** An NDJSON reply (Ollama), optionally cut after the first `cutAfter` lines. */
export function ndjsonReply(provider: string, name: string, cutAfter?: number): Reply {
  const lines = ndjsonLines(provider, name);
  return {
    headers: { 'content-type': 'application/x-ndjson' },
    chunks: cutAfter === undefined ? lines : lines.slice(0, cutAfter),
    chunkDelayMs: 2,
    cutAfterChunks: cutAfter !== undefined,
  };
}
