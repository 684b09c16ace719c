import { bodyEvents, bodyLines } from './body-lines';

const body = (...parts: string[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const part of parts) controller.enqueue(new TextEncoder().encode(part));
      controller.close();
    },
  });

const all = async <T>(items: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
};

describe('bodyLines', () => {
  it('yields whole lines even when they arrive split across chunks, skipping blank ones', async () => {
    await expect(all(bodyLines(body('{"a":', '1}\n\n{"b"', ':2}\n{"c":3}')))).resolves.toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it('decodes a multi-byte character split between chunks', async () => {
    const bytes = new TextEncoder().encode('"é"\n');
    const split = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 2));
        controller.enqueue(bytes.slice(2));
        controller.close();
      },
    });
    await expect(all(bodyLines(split))).resolves.toEqual(['"é"']);
  });
});

describe('bodyEvents', () => {
  it('parses server-sent events with CRLF or LF line ends, names and comments', async () => {
    const events = await all(bodyEvents(body(': keep-alive\r\n\r\ndata: {"x":1}\r\n\r\nevent: ping\ndata: {}\n', '\n')));
    expect(events.map((e) => [e.event, e.data])).toEqual([
      [undefined, '{"x":1}'],
      ['ping', '{}'],
    ]);
  });

  it('cancels the body when the consumer stops early', async () => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('data: 1\n\ndata: 2\n\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const event of bodyEvents(stream)) {
      expect(event.data).toBe('1');
      break;
    }
    expect(cancelled).toBe(true);
  });
});
