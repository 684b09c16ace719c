/**
 * A loopback HTTP server (node:http on 127.0.0.1, port 0) that stands in for a provider API in
 * tests. It replays queued responses in order, byte for byte as given (recorded fixtures), and
 * records every request it receives (method, path, headers, JSON body) for assertions.
 * No network is used: only the loopback interface.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path with query string, e.g. `/v1beta/models/x:streamGenerateContent?alt=sse`. */
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The body parsed as JSON, or undefined when empty. */
  body: unknown;
  rawBody: string;
  /** `performance.now()` when the request body had arrived. */
  receivedAt: number;
}

/** One reply. `chunks` are written one by one (with `chunkDelayMs` between) to simulate streaming. */
export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  chunks?: string[];
  chunkDelayMs?: number;
  /** Destroy the socket after the chunks instead of ending the response (a cut connection). */
  cutAfterChunks?: boolean;
  /** Send the headers (and chunks) and then never finish: for abort and timeout tests. */
  hang?: boolean;
  /** Wait this long before answering at all. */
  delayMs?: number;
}

export interface LoopbackServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Queue replies; each incoming request takes the next one. */
  reply(...replies: Reply[]): void;
  close(): Promise<void>;
}

export async function startLoopbackServer(): Promise<LoopbackServer> {
  const queue: Reply[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();

  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      const rawBody = Buffer.concat(parts).toString('utf8');
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: parseBody(rawBody),
        rawBody,
        receivedAt: performance.now(),
      });
      const next = queue.shift();
      void answer(res, next ?? { status: 599, body: '{"error":"loopback server: no reply queued"}' });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply: (...replies) => queue.push(...replies),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function answer(res: http.ServerResponse, reply: Reply): Promise<void> {
  if (reply.delayMs) await pause(reply.delayMs);
  if (res.destroyed) return;
  res.writeHead(reply.status ?? 200, reply.headers ?? { 'content-type': 'application/json' });
  if (reply.chunks) {
    // A streaming server sends its headers at once, before the first event.
    res.flushHeaders();
    for (const chunk of reply.chunks) {
      if (res.destroyed) return;
      res.write(chunk);
      if (reply.chunkDelayMs) await pause(reply.chunkDelayMs);
    }
  } else if (reply.body !== undefined) {
    res.write(reply.body);
  }
  if (reply.cutAfterChunks) {
    // Give the written bytes a moment to leave, then drop the connection mid-response.
    await pause(20);
    res.socket?.destroy();
    return;
  }
  if (reply.hang) return;
  res.end();
}

function parseBody(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
