import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback stand-in for GitHub, speaking its REST wire format (status codes, JSON bodies,
 * headers such as retry-after and x-ratelimit-*) for what Factory calls: the OAuth device flow,
 * the authenticated user, repositories, pull requests and check runs. Branches and commits are
 * checked against a real bare git repository, as GitHub checks them against the pushed ones.
 * Faults (a secondary rate limit, a 429) can be queued for the next matching request.
 */
export interface RecordedCall {
  method: string;
  path: string;
  /** Whether the request carried a known, unrevoked token. */
  authorized: boolean;
  body: Record<string, unknown>;
}

export interface Fault {
  method: string;
  path: RegExp;
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

export interface GithubServer {
  url: string;
  calls: RecordedCall[];
  pulls: { number: number; head: string; base: string; title: string; body: string; state: string }[];
  checkRuns: {
    id: number;
    head_sha: string;
    name: string;
    external_id?: string;
    status: string;
    conclusion?: string;
    output: { title: string; summary: string };
  }[];
  /** Every token issued by the device flow. */
  tokens: string[];
  /** The device-flow answers before the token, in order (e.g. authorization_pending, slow_down). */
  devicePending: string[];
  fault(f: Fault): void;
  revoke(token: string): void;
  close(): Promise<void>;
}

const DOCS = 'https://docs.github.com/rest';
const DEVICE_ERRORS: Record<string, string> = {
  authorization_pending: 'The authorization request is still pending.',
  slow_down: 'Too many requests have been made in the same timeframe.',
};

export async function startGithubServer(bare: string, repo = 'acme/app', login = 'octocat'): Promise<GithubServer> {
  const tokens = new Map<string, string>();
  const revoked = new Set<string>();
  const faults: Fault[] = [];
  const state = {
    calls: [] as RecordedCall[],
    pulls: [] as GithubServer['pulls'],
    checkRuns: [] as GithubServer['checkRuns'],
    devicePending: [] as string[],
  };
  let port = 0;
  const web = () => `http://127.0.0.1:${port}`;
  const commitOf = (ref: string) => {
    try {
      return execFileSync('git', ['--git-dir', bare, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { encoding: 'utf8' }).trim();
    } catch {
      return undefined;
    }
  };
  const prJson = (p: GithubServer['pulls'][number]) => ({
    id: 1000 + p.number,
    number: p.number,
    state: p.state,
    title: p.title,
    body: p.body,
    html_url: `${web()}/${repo}/pull/${p.number}`,
    head: { ref: p.head, sha: commitOf(`refs/heads/${p.head}`), label: `${repo.split('/')[0]}:${p.head}` },
    base: { ref: p.base },
    draft: false,
  });
  const runJson = (r: GithubServer['checkRuns'][number]) => ({ ...r, html_url: `${web()}/${repo}/runs/${r.id}`, app: { slug: 'factory' } });

  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (b: Buffer) => (raw += b.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', web());
      const body = (raw ? JSON.parse(raw) : {}) as Record<string, unknown>;
      const auth = /^(?:token|bearer) (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      const authorized = auth !== undefined && tokens.has(auth) && !revoked.has(auth);
      state.calls.push({ method: req.method ?? '', path: url.pathname + url.search, authorized, body });
      const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, {
          'content-type': 'application/json; charset=utf-8',
          'x-github-request-id': randomBytes(4).toString('hex').toUpperCase(),
          'x-ratelimit-limit': '5000',
          'x-ratelimit-remaining': '4999',
          'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
          ...headers,
        });
        res.end(JSON.stringify(data));
      };
      const fault = faults.findIndex((f) => f.method === req.method && f.path.test(url.pathname));
      if (fault >= 0) {
        const [f] = faults.splice(fault, 1);
        return send(f.status, f.body, f.headers);
      }
      const invalid = (message: string, errors: unknown[], doc: string) =>
        send(422, { message, errors, documentation_url: doc, status: '422' });

      // The OAuth device flow, on the web host (no token).
      if (req.method === 'POST' && url.pathname === '/login/device/code')
        return send(200, {
          device_code: 'dc-1',
          user_code: 'WDJB-MJHT',
          verification_uri: `${web()}/login/device`,
          expires_in: 900,
          interval: 0,
        });
      if (req.method === 'POST' && url.pathname === '/login/oauth/access_token') {
        const next = state.devicePending.shift();
        if (next)
          return send(200, {
            error: next,
            error_description: DEVICE_ERRORS[next] ?? next,
            error_uri: 'https://docs.github.com/developers/apps/authorizing-oauth-apps#error-codes-for-the-device-flow',
            ...(next === 'slow_down' ? { interval: 5 } : {}),
          });
        const token = `ghu_${randomBytes(18).toString('base64url')}`;
        tokens.set(token, login);
        return send(200, { access_token: token, token_type: 'bearer', scope: '' });
      }
      if (!authorized) return send(401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' });

      const base = `/repos/${repo}`;
      if (req.method === 'GET' && url.pathname === '/user') return send(200, { login, id: 583231, type: 'User' });
      if (req.method === 'GET' && url.pathname === base)
        return send(200, { id: 1, name: repo.split('/')[1], full_name: repo, default_branch: 'main', private: true });
      if (url.pathname === `${base}/pulls`) {
        if (req.method === 'GET') {
          const head = url.searchParams.get('head')?.split(':')[1];
          const st = url.searchParams.get('state') ?? 'open';
          return send(200, state.pulls.filter((p) => (!head || p.head === head) && (st === 'all' || p.state === st)).map(prJson));
        }
        const head = String(body.head);
        const baseRef = String(body.base);
        const doc = `${DOCS}/pulls/pulls#create-a-pull-request`;
        if (!commitOf(`refs/heads/${head}`))
          return invalid('Validation Failed', [{ resource: 'PullRequest', field: 'head', code: 'invalid' }], doc);
        if (!commitOf(`refs/heads/${baseRef}`))
          return invalid('Validation Failed', [{ resource: 'PullRequest', field: 'base', code: 'invalid' }], doc);
        if (state.pulls.some((p) => p.head === head && p.state === 'open'))
          return invalid(
            'Validation Failed',
            [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${repo.split('/')[0]}:${head}.` }],
            doc,
          );
        const p = {
          number: state.pulls.length + 1,
          head,
          base: baseRef,
          title: String(body.title),
          body: String(body.body ?? ''),
          state: 'open',
        };
        state.pulls.push(p);
        return send(201, prJson(p));
      }
      const pr = new RegExp(`^${base}/pulls/(\\d+)$`).exec(url.pathname);
      if (pr && req.method === 'PATCH') {
        const p = state.pulls.find((x) => x.number === Number(pr[1]));
        if (!p) return send(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
        if (typeof body.title === 'string') p.title = body.title;
        if (typeof body.body === 'string') p.body = body.body;
        return send(200, prJson(p));
      }
      const list = new RegExp(`^${base}/commits/([^/]+)/check-runs$`).exec(url.pathname);
      if (list && req.method === 'GET') {
        const runs = state.checkRuns.filter((r) => r.head_sha === list[1]);
        return send(200, { total_count: runs.length, check_runs: runs.map(runJson) });
      }
      if (url.pathname === `${base}/check-runs` && req.method === 'POST') {
        const sha = String(body.head_sha);
        if (!commitOf(sha)) return invalid(`No commit found for SHA: ${sha}`, [], `${DOCS}/checks/runs#create-a-check-run`);
        const r = {
          id: 7000 + state.checkRuns.length,
          head_sha: sha,
          name: String(body.name),
          external_id: body.external_id as string | undefined,
          status: String(body.status),
          conclusion: body.conclusion as string | undefined,
          output: body.output as { title: string; summary: string },
        };
        state.checkRuns.push(r);
        return send(201, runJson(r));
      }
      const run = new RegExp(`^${base}/check-runs/(\\d+)$`).exec(url.pathname);
      if (run && req.method === 'PATCH') {
        const r = state.checkRuns.find((x) => x.id === Number(run[1]));
        if (!r) return send(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
        Object.assign(r, { status: body.status, conclusion: body.conclusion, output: body.output });
        return send(200, runJson(r));
      }
      return send(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  return {
    url: web(),
    get calls() {
      return state.calls;
    },
    get pulls() {
      return state.pulls;
    },
    get checkRuns() {
      return state.checkRuns;
    },
    get tokens() {
      return [...tokens.keys()];
    },
    get devicePending() {
      return state.devicePending;
    },
    fault: (f) => faults.push(f),
    revoke: (t) => revoked.add(t),
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
