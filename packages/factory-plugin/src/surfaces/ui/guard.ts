import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A fresh random token: 256 bits, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison (of digests, so different lengths take the same time too). */
export function sameToken(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b) && given.length === token.length;
}

/** Only the dashboard's own address: a page on another name (DNS rebinding) gets nothing. */
export function allowedHost(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/** A request from a page of another origin carries its Origin; only the dashboard's own is accepted. */
export function allowedOrigin(origin: string | undefined, port: number): boolean {
  return origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

/** What refuses a request, or undefined when it may go on: Host first, then the token. */
export function refusal(req: IncomingMessage, url: URL, token: string, port: number): { status: number; message: string } | undefined {
  if (!allowedHost(req.headers.host, port))
    return {
      status: 403,
      message: `factory ui answers only on 127.0.0.1:${port} and localhost:${port}, not on Host ${req.headers.host ?? '(none)'}`,
    };
  const header = req.headers['x-factory-token'];
  const given = typeof header === 'string' ? header : req.method === 'GET' ? (url.searchParams.get('token') ?? undefined) : undefined;
  if (!sameToken(given, token))
    return {
      status: 401,
      message:
        given === undefined
          ? 'no token: open the URL factory ui printed (it ends in ?token=…)'
          : 'wrong token: open the URL factory ui printed',
    };
  if (req.method !== 'GET' && !allowedOrigin(req.headers.origin, port))
    return { status: 403, message: `requests from ${req.headers.origin} are refused` };
  return undefined;
}
