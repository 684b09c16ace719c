import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  FactoryError,
  isFactoryError,
  listTasks,
  loadContract,
  readTextIfExists,
  stageResultFiles,
  taskView,
  validateSlug,
} from '@factory/core';
import { contentSecurityPolicy } from '../page/document';
import { requireTask } from '../report-file';
import { ACTIONS, runAction, type DashboardAction } from './actions';
import { newToken, refusal } from './guard';
import { DASHBOARD_SCRIPTS, indexPage, listFragment, taskFragment, taskPage } from './pages';
import { watchFactory, type WatchOptions } from './watch-factory';

export interface DashboardOptions {
  root: string;
  /** 0 (the default): a free port chosen by the system. */
  port?: number;
  env?: Record<string, string | undefined>;
  watch?: WatchOptions;
}

export interface Dashboard {
  /** The address with its token: the only way in. */
  url: string;
  port: number;
  token: string;
  watchMode: 'watch' | 'poll';
  close(): Promise<void>;
}

const HEADERS = {
  'Content-Security-Policy': `${contentSecurityPolicy(DASHBOARD_SCRIPTS)}; frame-ancestors 'none'`,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};
const MAX_BODY = 16 * 1024;

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { ...HEADERS, 'Content-Type': `${type}; charset=utf-8` });
  res.end(body);
}
const text = (res: ServerResponse, status: number, body: string) => send(res, status, 'text/plain', `${body}\n`);
const json = (res: ServerResponse, status: number, body: unknown) => send(res, status, 'application/json', JSON.stringify(body));

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (b: Buffer) => {
      size += b.length;
      if (size > MAX_BODY) reject(new FactoryError('BODY', `the request body is over ${MAX_BODY} bytes`));
      else parts.push(b);
    });
    req.on('end', () => {
      const t = Buffer.concat(parts).toString('utf8');
      try {
        resolve(t ? JSON.parse(t) : {});
      } catch {
        reject(new FactoryError('BODY', 'expected a JSON body'));
      }
    });
    req.on('error', reject);
  });
}

/** The slug of a path segment, or a FactoryError (404) naming what is wrong. */
function slugOf(segment: string, root: string): string {
  let raw: string;
  try {
    raw = decodeURIComponent(segment);
  } catch {
    raw = segment;
  }
  const v = validateSlug(raw);
  if (!v.ok) throw new FactoryError('NOT_FOUND', v.error);
  requireTask(root, v.value);
  return v.value;
}

/**
 * `factory ui`: the report's views, live, on 127.0.0.1 only. Every request needs the token
 * (query `token` on GET, header `X-Factory-Token` on POST) and the dashboard's own Host;
 * GET never changes anything; actions are POSTs of JSON (which a page of another origin
 * cannot send without a preflight this server never answers).
 */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const root = options.root;
  const env = options.env ?? process.env;
  const token = newToken();
  const clients = new Set<ServerResponse>();
  let port = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const no = refusal(req, url, token, port);
    if (no) return text(res, no.status, no.message);
    const parts = url.pathname.split('/').filter(Boolean);
    if (req.method === 'POST') {
      if (parts.length !== 3 || parts[0] !== 'tasks' || !ACTIONS.includes(parts[2] as DashboardAction))
        return json(res, 404, { ok: false, message: `no action at ${url.pathname}; actions: ${ACTIONS.join(', ')}` });
      if (!String(req.headers['content-type'] ?? '').startsWith('application/json'))
        return json(res, 415, { ok: false, message: 'expected Content-Type: application/json' });
      const slug = slugOf(parts[1], root);
      const result = await runAction({ root, slug, action: parts[2] as DashboardAction, body: await readBody(req), env });
      return json(res, result.ok ? 200 : 409, result);
    }
    if (req.method !== 'GET') return text(res, 405, `${req.method} is not allowed: GET pages, POST actions`);
    if (parts.length === 0) return send(res, 200, 'text/html', indexPage(listTasks(root)));
    if (parts.length === 1 && parts[0] === 'fragment') return send(res, 200, 'text/html', listFragment(listTasks(root)).value);
    if (parts.length === 1 && parts[0] === 'events') {
      res.writeHead(200, { ...HEADERS, 'Content-Type': 'text/event-stream', Connection: 'keep-alive' });
      res.write('retry: 1000\n\n');
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    if (parts[0] === 'tasks' && parts.length >= 2) {
      const slug = slugOf(parts[1], root);
      if (parts.length === 2) return send(res, 200, 'text/html', taskPage(await taskView(root, slug)));
      if (parts.length === 3 && parts[2] === 'fragment') return send(res, 200, 'text/html', taskFragment(await taskView(root, slug)).value);
      if (parts.length === 4 && parts[2] === 'logs') {
        const stage = loadContract(root, slug).value?.pipeline.find((s) => s.name === decodeURIComponent(parts[3]));
        if (!stage) return text(res, 404, `${slug} has no stage ${JSON.stringify(decodeURIComponent(parts[3]))}`);
        const log = readTextIfExists(path.join(root, stageResultFiles(slug, stage.name).log));
        return log === undefined ? text(res, 404, `no log yet: ${stageResultFiles(slug, stage.name).log}`) : text(res, 200, log);
      }
    }
    return text(res, 404, `nothing at ${url.pathname}`);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      const known = isFactoryError(e);
      const status = !known ? 500 : e.code === 'NOT_FOUND' || e.code === 'TASK' ? 404 : e.code === 'BODY' ? 400 : 409;
      const message = known ? e.message : `internal error: ${(e as Error).message}`;
      if (res.headersSent) return void res.end();
      if (req.method === 'POST') json(res, status, { ok: false, message });
      else text(res, status, message);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE'
          ? new FactoryError(
              'PORT_IN_USE',
              `port ${options.port} on 127.0.0.1 is in use by another program; choose another with --port <n>, or leave --port out for a free one`,
              { field: 'port' },
            )
          : e,
      ),
    );
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const watcher = watchFactory(
    root,
    (slugs) => {
      const event = `event: change\ndata: ${JSON.stringify({ slugs })}\n\n`;
      for (const c of clients) c.write(event);
    },
    options.watch,
  );
  const ping = setInterval(() => {
    for (const c of clients) c.write(': ping\n\n');
  }, 15_000);
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    watchMode: watcher.mode,
    close: async () => {
      clearInterval(ping);
      watcher.close();
      for (const c of clients) c.end();
      clients.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
