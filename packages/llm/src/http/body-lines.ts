import { createParser, type EventSourceMessage } from 'eventsource-parser';

/**
 * Decoded text pieces of a response body. Stops reading (and cancels the body) when the
 * consumer stops early, so an abandoned stream does not keep the connection open.
 */
export async function* bodyText(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let done = false;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      yield decoder.decode(next.value, { stream: true });
    }
    done = true;
    const rest = decoder.decode();
    if (rest !== '') yield rest;
  } finally {
    if (!done) await reader.cancel().catch(() => undefined);
  }
}

/** Newline-delimited lines (Ollama's NDJSON), without blank lines. */
export async function* bodyLines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let buffer = '';
  for await (const text of bodyText(body)) {
    buffer += text;
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line !== '') yield line;
      newline = buffer.indexOf('\n');
    }
  }
  if (buffer.trim() !== '') yield buffer.trim();
}

/** Server-sent events, parsed with eventsource-parser (handles `\r\n`, comments, multi-line data). */
export async function* bodyEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<EventSourceMessage> {
  const queue: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => queue.push(event) });
  for await (const text of bodyText(body)) {
    parser.feed(text);
    while (queue.length > 0) yield queue.shift() as EventSourceMessage;
  }
}
