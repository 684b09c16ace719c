import { readFileSync, writeFileSync } from 'node:fs';
import { loadTask } from '@factory/core';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { surfaceTask, type SurfaceTask } from '../../testing/surface-task';
import { startDashboard, type Dashboard } from './server';

interface Reply {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

/** A raw HTTP request, so the Host header can be anything. */
function request(port: number, path: string, o: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path, method: o.method ?? 'GET', headers: { Host: `127.0.0.1:${port}`, ...o.headers } },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (b: Buffer) => parts.push(b));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8'), headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}

const HEALTH = 'rollout:\n  health:\n    command: cat health.json\n    max_error_rate: 0.01\n    max_latency_ms: 500\n';

describe('startDashboard', () => {
  let task: SurfaceTask;
  let ui: Dashboard;
  const env = { FACTORY_ACTOR: 'ui-user@example.com', PATH: process.env.PATH, HOME: process.env.HOME };
  const post = (action: string, o: { headers?: Record<string, string>; body?: string } = {}) =>
    request(ui.port, `/tasks/sf-ui/${action}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Factory-Token': ui.token, ...o.headers },
      body: o.body ?? '{}',
    });
  const status = () => loadTask(task.root, 'sf-ui').value?.status;

  beforeAll(async () => {
    task = surfaceTask('sf-ui', { title: 'Dashboard <task>', stages: [{ name: 'compile', command: 'echo compiled' }], config: HEALTH });
    task.write('health.json', '{"error_rate": 0.001, "latency_ms": 100}');
    await task.run();
    ui = await startDashboard({ root: task.root, env });
  });
  afterAll(async () => {
    await ui?.close();
    task?.cleanup();
  });

  it('prints a loopback URL with its token, which opens the task list', async () => {
    expect(ui.url).toBe(`http://127.0.0.1:${ui.port}/?token=${ui.token}`);
    expect(ui.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const r = await request(ui.port, `/?token=${ui.token}`);
    expect(r.status).toBe(200);
    expect(r.body).toContain('data-slug="sf-ui"');
    expect(r.body).toContain('Dashboard &lt;task&gt;');
    expect(r.body).not.toContain(ui.token);
    expect(r.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('refuses a request without the token, or with a wrong one', async () => {
    expect((await request(ui.port, '/')).status).toBe(401);
    const wrong = await request(ui.port, `/?token=${ui.token.slice(0, -1)}x`);
    expect(wrong.status).toBe(401);
    expect(wrong.body).toContain('wrong token');
  });

  it('refuses a foreign Host header, even with the token (DNS rebinding)', async () => {
    const r = await request(ui.port, `/?token=${ui.token}`, { headers: { Host: 'evil.example' } });
    expect(r.status).toBe(403);
    expect(r.body).toContain('not on Host evil.example');
    expect((await request(ui.port, `/?token=${ui.token}`, { headers: { Host: `localhost:${ui.port}` } })).status).toBe(200);
  });

  it('serves a task page, its live fragment and its logs, and nothing outside them', async () => {
    const page = await request(ui.port, `/tasks/sf-ui?token=${ui.token}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('data-stage="compile" data-verdict="pass"');
    expect(page.body).toContain('href="/tasks/sf-ui/logs/compile"');
    const fragment = await request(ui.port, `/tasks/sf-ui/fragment?token=${ui.token}`);
    expect(fragment.body).toMatch(/^<article class="task" id="task-sf-ui"/);
    const log = await request(ui.port, `/tasks/sf-ui/logs/compile?token=${ui.token}`);
    expect(log.body).toContain('compiled');
    expect((await request(ui.port, `/tasks/sf-ui/logs/..%2F..%2Fconfig.yaml?token=${ui.token}`)).status).toBe(404);
    expect((await request(ui.port, `/tasks/..%2F..%2Fetc?token=${ui.token}`)).status).toBe(404);
    const unknown = await request(ui.port, `/tasks/nope-2?token=${ui.token}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toContain('no task "nope-2"');
  });

  it('changes nothing on GET: an action is a POST with the token in a header, as JSON', async () => {
    expect((await request(ui.port, `/tasks/sf-ui/approve?token=${ui.token}`)).status).toBe(404);
    expect(
      (
        await request(ui.port, `/tasks/sf-ui/approve?token=${ui.token}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
        })
      ).status,
    ).toBe(401);
    expect((await post('approve', { headers: { 'Content-Type': 'text/plain' } })).status).toBe(415);
    expect((await post('approve', { headers: { Origin: 'http://evil.example' } })).status).toBe(403);
    expect(status()).toBe('ready_for_review');
  });

  it('refuses actions under CI, like the CLI', async () => {
    const ci = await startDashboard({ root: task.root, env: { ...env, CI: 'true' } });
    try {
      const r = await request(ci.port, '/tasks/sf-ui/approve', {
        method: 'POST',
        headers: { Host: `127.0.0.1:${ci.port}`, 'Content-Type': 'application/json', 'X-Factory-Token': ci.token },
        body: '{"strategy":"gradual"}',
      });
      expect(r.status).toBe(409);
      expect(JSON.parse(r.body).message).toContain("this runs in CI (CI): the dashboard's actions are for a person");
      expect(status()).toBe('ready_for_review');
    } finally {
      await ci.close();
    }
  });

  it('approves, advances and aborts through the core functions, as the local user', async () => {
    const bad = await post('approve', { body: '{"strategy":"yolo"}' });
    expect(bad.status).toBe(409);
    expect(JSON.parse(bad.body).message).toBe('strategy: expected immediate, gradual or canary, got "yolo"');
    const approved = await post('approve', { body: '{"strategy":"gradual"}' });
    expect(JSON.parse(approved.body)).toMatchObject({
      ok: true,
      message: expect.stringContaining('sf-ui approved by ui-user@example.com'),
    });
    expect(status()).toBe('deployed_to_staging');
    const advanced = await post('advance');
    expect(JSON.parse(advanced.body).message).toContain('1% → 10%');
    const audit = readFileSync(task.path('.factory/sf-ui/audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(audit.find((e) => e.action === 'approved_by_human')?.actor).toBe('ui-user@example.com');
    expect(audit.filter((e) => e.action === 'deployment_step').at(-1)?.actor).toBe('ui-user@example.com');
    const aborted = await post('abort');
    expect(JSON.parse(aborted.body).message).toContain('rolled back from 10% to 0%');
    expect(status()).toBe('reverted');
    const again = await post('advance');
    expect(again.status).toBe(409);
    expect(JSON.parse(again.body).message).toContain('nothing to roll out');
  });

  it('sends a change event when a task’s files change', async () => {
    const events = await new Promise<string>((resolve, reject) => {
      const req = http.get(
        { host: '127.0.0.1', port: ui.port, path: `/events?token=${ui.token}`, headers: { Host: `127.0.0.1:${ui.port}` } },
        (res) => {
          let seen = '';
          res.on('data', (b: Buffer) => {
            seen += b.toString();
            if (seen.includes('retry:') && !seen.includes('event: change')) {
              const f = task.path('.factory/sf-ui/results/stage-compile.json');
              writeFileSync(f, readFileSync(f, 'utf8'));
            }
            if (seen.includes('event: change')) {
              req.destroy();
              resolve(seen);
            }
          });
        },
      );
      req.on('error', reject);
    });
    expect(events).toContain('event: change\ndata: {"slugs":["sf-ui"]}');
  });

  it('says so when the port is taken', async () => {
    const other = http.createServer();
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const port = (other.address() as AddressInfo).port;
    try {
      await expect(startDashboard({ root: task.root, port })).rejects.toThrow(
        `port ${port} on 127.0.0.1 is in use by another program; choose another with --port <n>, or leave --port out for a free one`,
      );
    } finally {
      other.close();
    }
  });
});
