import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { jest } from '@jest/globals';
import { parse, stringify } from 'yaml';
import { openBrowser, screenshotDir, type Browser } from './utils/browser';
import { E2E_ENV, newWorkspace, type TestWorkspace } from './utils/workspace';

jest.setTimeout(900_000);

const PIPELINE = [
  {
    name: 'compile',
    description: 'tsc',
    command: 'npx tsc -p packages/app --noEmit',
    working_directory: '.',
    timeout_seconds: 120,
    required_success: true,
  },
  {
    name: 'slow',
    description: 'slow',
    command: 'sleep 1 && echo "slow check done"',
    working_directory: '.',
    timeout_seconds: 60,
    required_success: true,
    needs: ['compile'],
  },
];

interface Ui {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** Starts `factory ui` as a user would; resolves once it printed its URL. */
function startUi(ws: TestWorkspace, args: string[] = []): Promise<Ui> {
  const child = spawn(path.join(ws.root, 'node_modules/.bin/factory'), ['ui', ...args], {
    cwd: ws.root,
    env: { ...process.env, ...E2E_ENV, FACTORY_ACTOR: 'dana@example.com' } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const seen = (b: Buffer) => {
      out += b.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+/.exec(out);
      if (m) resolve({ child, url: m[0], output: () => out });
    };
    child.stdout?.on('data', seen);
    child.stderr?.on('data', seen);
    child.on('exit', (code) => reject(new Error(`factory ui exited ${code}:\n${out}`)));
  });
}

function get(url: string, host?: string): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    http
      .get({ host: u.hostname, port: u.port, path: u.pathname + u.search, headers: { Host: host ?? u.host } }, (res) => {
        let body = '';
        res.on('data', (b: Buffer) => (body += b.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('factory ui: a live dashboard on loopback, behind a token', () => {
  let ws: TestWorkspace;
  let ui: Ui;
  let browser: Browser;

  beforeAll(async () => {
    ws = await newWorkspace();
    ws.write(
      '.factory/config.yaml',
      `${ws.read('.factory/config.yaml')}rollout:\n  health:\n    command: cat .factory/health.json\n    max_error_rate: 0.01\n    max_latency_ms: 300\n`,
    );
    ws.write('.factory/health.json', '{"error_rate": 0.001, "latency_ms": 90}');
    expect(
      (
        await ws.nx([
          'g',
          'factory:task',
          'sf-live',
          '--title=Live task',
          '--allowed-files=packages/app/**',
          '--skip-workspace',
          '--no-interactive',
        ])
      ).code,
    ).toBe(0);
    const file = '.factory/sf-live/contract.yaml';
    ws.write(file, stringify({ ...parse(ws.read(file)), pipeline: PIPELINE }));
    await ws.git(['add', '-A']);
    await ws.git(['commit', '-qm', 'task']);
    expect((await ws.nx(['run', 'sf-live:stage-compile'])).code).toBe(0);
    ui = await startUi(ws);
    browser = await openBrowser('light');
  });
  afterAll(async () => {
    await browser?.close();
    if (ui?.child.pid) process.kill(ui.child.pid, 'SIGTERM');
    ws?.cleanup();
  });

  it('prints a 127.0.0.1 URL with its token that answers 200 with the task list', async () => {
    const r = await get(ui.url);
    expect(r.status).toBe(200);
    expect(r.body).toContain('sf-live');
    expect(ui.output()).toContain('on 127.0.0.1 only');
  });

  it('refuses the bare address and a foreign Host header', async () => {
    const base = ui.url.replace(/\/\?token=.*/, '/');
    expect((await get(base)).status).toBe(401);
    expect((await get(ui.url, 'evil.example')).status).toBe(403);
    expect((await get(ui.url, `attacker.example:${new URL(ui.url).port}`)).status).toBe(403);
  });

  it('shows a stage finishing without a reload', async () => {
    const { page, errors } = await browser.page();
    await page.goto(ui.url);
    await page.click('a[data-slug], table.task-list a');
    await page.waitForSelector('article#task-sf-live');
    expect(page.url()).toContain('/tasks/sf-live?token=');
    expect(await page.locator('.stage[data-stage="slow"]').getAttribute('data-verdict')).toBe('not_run');
    await page.evaluate(() => ((globalThis as unknown as { __sameDocument: boolean }).__sameDocument = true));
    await page.screenshot({ path: path.join(screenshotDir(), 'dashboard-before-light.png'), fullPage: true });
    expect((await ws.nx(['run', 'sf-live:stage-slow'])).code).toBe(0);
    await page.waitForSelector('.stage[data-stage="slow"][data-verdict="pass"]', { timeout: 30_000 });
    expect(await page.locator('.stage[data-stage="slow"] .cause').innerText()).toContain('slow check done');
    expect(await page.evaluate(() => (globalThis as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    expect(await page.locator('#live').innerText()).toContain('updated');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('approves and advances from the page, after a confirmation, as the local user', async () => {
    expect((await ws.nx(['run', 'sf-live:pipeline'])).code).toBe(0);
    const { page, errors, dialogs } = await browser.page();
    await page.goto(ui.url.replace('/?', '/tasks/sf-live?'));
    await page.waitForSelector('button[data-action="approve"]');
    await page.click('button[data-action="approve"]');
    await page.waitForSelector('#notice:not([hidden])');
    await page.locator('#notice', { hasText: 'approved by' }).waitFor({ timeout: 30_000 });
    expect(dialogs[0]).toContain('Approve sf-live (Live task) and start its rollout');
    expect(await page.locator('#notice').innerText()).toContain('sf-live approved by dana@example.com');
    await page.waitForSelector('button[data-action="advance"]');
    await page.click('button[data-action="advance"]');
    await page.locator('#notice', { hasText: '→ 10%' }).waitFor({ timeout: 30_000 });
    await page.waitForSelector('#sf-live-rollout [data-percent="10"]');
    await page.screenshot({ path: path.join(screenshotDir(), 'dashboard-rollout-light.png'), fullPage: true });
    const audit = ws
      .read('.factory/sf-live/audit.jsonl')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { action: string; actor: string });
    expect(audit.find((e) => e.action === 'approved_by_human')?.actor).toBe('dana@example.com');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says when the port is taken', async () => {
    const other = http.createServer();
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    try {
      const port = (other.address() as AddressInfo).port;
      const r = await ws.factory(['ui', '--port', String(port)]);
      expect(r.code).toBe(1);
      expect(r.out).toContain(`factory: port ${port} on 127.0.0.1 is in use by another program; choose another with --port <n>`);
    } finally {
      other.close();
    }
  });
});
