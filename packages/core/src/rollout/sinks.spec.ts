import { jest } from '@jest/globals';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { HealthConfigSchema } from './config';
import { checkHealth, fillUrl, judgeHealth } from './health';
import { recordRolloutSample, writePrometheusFile } from './metrics';

// Real git, real processes: slow on a loaded machine.
jest.setTimeout(60_000);

const limits = { max_error_rate: 0.01, max_latency_ms: 300 };

describe('judgeHealth', () => {
  it('passes figures within both limits and names each one exceeded', () => {
    expect(judgeHealth({ error_rate: 0.001, latency_ms: 100 }, limits, 'x').healthy).toBe(true);
    expect(judgeHealth({ error_rate: 0.5, latency_ms: 900 }, limits, 'x').message).toBe(
      'unhealthy: error rate 0.5 is above the limit 0.01; latency 900 ms is above the limit 300 ms',
    );
    expect(judgeHealth({ latency_ms: 1 }, limits, 'x').message).toBe(
      'x: expected "error_rate" to be a number from 0 (a fraction), got undefined',
    );
    expect(judgeHealth(undefined, limits, 'x').healthy).toBe(false);
  });
});

describe('checkHealth over HTTP (a real server on loopback)', () => {
  let server: Server;
  let base: string;
  const seen: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req.url ?? '');
      if (req.url?.startsWith('/down')) {
        res.writeHead(503).end('unavailable');
        return;
      }
      if (req.url?.startsWith('/slow')) return; // never answers
      const bad = req.url?.includes('bd-bad');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ error_rate: bad ? 0.3 : 0.002, latency_ms: 80 }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  const cfg = (url: string, timeout = 5) => HealthConfigSchema.parse({ url, timeout_seconds: timeout, ...limits });
  const ctx = (slug: string) => ({ root: tmpdir(), slug, flagKey: slug, percent: 10 });

  it('fills in the task and judges the JSON it answers', async () => {
    expect(await checkHealth(cfg(`${base}/health?task={slug}&p={percent}`), ctx('bd-1'))).toMatchObject({
      healthy: true,
      error_rate: 0.002,
      latency_ms: 80,
    });
    expect(seen.at(-1)).toBe('/health?task=bd-1&p=10');
    expect(await checkHealth(cfg(`${base}/health?task={slug}`), ctx('bd-bad'))).toMatchObject({ healthy: false, error_rate: 0.3 });
  });

  it('is unhealthy on a non-2xx answer, a timeout or no server', async () => {
    expect((await checkHealth(cfg(`${base}/down`), ctx('bd-1'))).message).toBe(`GET ${base}/down answered 503 Service Unavailable`);
    expect((await checkHealth(cfg(`${base}/slow`, 1), ctx('bd-1'))).message).toBe(`GET ${base}/slow failed: timed out after 1s`);
    const gone = createServer();
    await new Promise<void>((r) => gone.listen(0, '127.0.0.1', r));
    const freePort = (gone.address() as AddressInfo).port;
    await new Promise((r) => gone.close(r));
    const closed = await checkHealth(cfg(`http://127.0.0.1:${freePort}/x`), ctx('bd-1'));
    expect(closed).toMatchObject({ healthy: false, message: expect.stringContaining('ECONNREFUSED') });
  });

  it('URL-encodes what it fills in', () => {
    expect(fillUrl('http://h/{slug}?f={flag}', { slug: 'a b', flagKey: 'x&y', percent: 1 })).toBe('http://h/a%20b?f=x%26y');
  });
});

describe('metrics sinks', () => {
  let dir: string;
  let udp: Socket;
  let port: number;
  const received: string[] = [];
  beforeAll(async () => {
    udp = createSocket('udp4');
    udp.on('message', (m) => received.push(m.toString()));
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r));
    port = udp.address().port;
  });
  afterAll(() => udp.close());
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'factory-metrics-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes metrics.yaml, a Prometheus text file, and StatsD gauges over real UDP', async () => {
    const sample = {
      at: '2026-03-01T10:00:00.000Z',
      event: 'step' as const,
      percent: 10,
      healthy: true,
      error_rate: 0.002,
      latency_ms: 80,
    };
    const warnings = await recordRolloutSample(dir, 'bd-1', sample, {
      prometheus_file: 'metrics/factory.prom',
      statsd: { host: '127.0.0.1', port, prefix: 'acme' },
    });
    expect(warnings).toEqual([]);
    const yaml = parse(readFileSync(path.join(dir, '.factory/bd-1/metrics.yaml'), 'utf8'));
    expect(yaml).toMatchObject({
      version: 1,
      task: 'bd-1',
      rollout: { percent: 10, healthy: true, error_rate: 0.002, latency_ms: 80 },
      samples: [sample],
    });
    const prom = readFileSync(path.join(dir, 'metrics/factory.prom'), 'utf8');
    expect(prom).toContain('# TYPE factory_rollout_percent gauge');
    expect(prom).toContain('factory_rollout_percent{task="bd-1"} 10');
    expect(prom).toContain('factory_rollout_error_rate{task="bd-1"} 0.002');
    for (let i = 0; i < 50 && !received.length; i++) await new Promise((r) => setTimeout(r, 20));
    expect(received.at(-1)?.split('\n')).toEqual([
      'acme.rollout.percent.bd-1:10|g',
      'acme.rollout.healthy.bd-1:1|g',
      'acme.rollout.error_rate.bd-1:0.002|g',
      'acme.rollout.latency_ms.bd-1:80|g',
    ]);
  });

  it("keeps other tasks' series in the Prometheus file and replaces this task's", async () => {
    const file = path.join(dir, 'f.prom');
    await writePrometheusFile(file, 'bd-1', { at: '2026-03-01T10:00:00.000Z', event: 'step', percent: 10 });
    await writePrometheusFile(file, 'bd-2', { at: '2026-03-01T10:00:00.000Z', event: 'step', percent: 1 });
    await writePrometheusFile(file, 'bd-1', { at: '2026-03-01T10:00:00.000Z', event: 'step', percent: 50 });
    const series = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('factory_rollout_percent'));
    expect(series).toEqual(['factory_rollout_percent{task="bd-1"} 50', 'factory_rollout_percent{task="bd-2"} 1']);
  });

  it('reports a sink that fails as a warning, without failing', async () => {
    writeFileSync(path.join(dir, 'a-file'), '');
    const warnings = await recordRolloutSample(
      dir,
      'bd-1',
      { at: '2026-03-01T10:00:00.000Z', event: 'step', percent: 1 },
      { prometheus_file: 'a-file/x.prom' },
    );
    expect(warnings).toEqual([expect.stringMatching(/^could not write the Prometheus file .*a-file\/x\.prom: /)]);
  });
});
