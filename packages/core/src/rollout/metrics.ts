import { createSocket } from 'node:dgram';
import path from 'node:path';
import { readTextIfExists, writeFileAtomicSync } from '../store/atomic';
import { withFileLock } from '../store/lock';
import { taskPaths } from '../store/paths';
import { parseYaml, toYaml } from '../store/yaml';
import type { MetricsConfig } from './config';

/** One point of a rollout, as sent to every configured sink. */
export interface RolloutSample {
  at: string;
  event: 'started' | 'step' | 'held' | 'rolled_back' | 'aborted' | 'completed';
  percent: number;
  healthy?: boolean;
  error_rate?: number;
  latency_ms?: number;
}

const KEEP_SAMPLES = 500;

/**
 * `.factory/<slug>/metrics.yaml`: `rollout` (the latest figures) and `samples` (the last 500
 * points, oldest first). Other top-level sections written by other modules are kept.
 */
export function writeMetricsYaml(root: string, slug: string, sample: RolloutSample): void {
  const file = path.join(root, taskPaths(slug).metrics);
  const text = readTextIfExists(file);
  const parsed = text === undefined ? undefined : parseYaml(text, taskPaths(slug).metrics).data;
  const doc: Record<string, unknown> =
    parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? { ...(parsed as Record<string, unknown>) } : {};
  const samples = Array.isArray(doc.samples) ? (doc.samples as unknown[]) : [];
  samples.push(sample);
  doc.version = 1;
  doc.task = slug;
  doc.rollout = { percent: sample.percent, last_event: sample.event, updated_at: sample.at, ...pick(sample) };
  doc.samples = samples.slice(-KEEP_SAMPLES);
  writeFileAtomicSync(file, toYaml(doc));
}

const pick = (s: RolloutSample) => ({
  ...(s.healthy !== undefined ? { healthy: s.healthy } : {}),
  ...(s.error_rate !== undefined ? { error_rate: s.error_rate } : {}),
  ...(s.latency_ms !== undefined ? { latency_ms: s.latency_ms } : {}),
});

/** The Prometheus series of one task (text exposition format), label `task`. */
export function prometheusLines(slug: string, s: RolloutSample): string[] {
  const label = `{task="${slug.replace(/["\\\n]/g, '_')}"}`;
  const lines = [`factory_rollout_percent${label} ${s.percent}`];
  if (s.healthy !== undefined) lines.push(`factory_rollout_healthy${label} ${s.healthy ? 1 : 0}`);
  if (s.error_rate !== undefined) lines.push(`factory_rollout_error_rate${label} ${s.error_rate}`);
  if (s.latency_ms !== undefined) lines.push(`factory_rollout_latency_ms${label} ${s.latency_ms}`);
  lines.push(`factory_rollout_updated_seconds${label} ${Math.floor(Date.parse(s.at) / 1000)}`);
  return lines;
}

const HELP = [
  "# HELP factory_rollout_percent Percentage of targeting keys served the task's change.",
  '# TYPE factory_rollout_percent gauge',
  '# HELP factory_rollout_healthy 1 when the last health check passed, 0 when it failed.',
  '# TYPE factory_rollout_healthy gauge',
  '# HELP factory_rollout_error_rate Error rate (a fraction) the last health check reported.',
  '# TYPE factory_rollout_error_rate gauge',
  '# HELP factory_rollout_latency_ms Latency in milliseconds the last health check reported.',
  '# TYPE factory_rollout_latency_ms gauge',
  "# HELP factory_rollout_updated_seconds When the task's rollout last changed (Unix time).",
  '# TYPE factory_rollout_updated_seconds gauge',
];

/**
 * Updates a Prometheus text file (node_exporter's textfile collector reads `*.prom`): this
 * task's series replaced, other tasks' kept; under a lock, written atomically.
 */
export async function writePrometheusFile(file: string, slug: string, s: RolloutSample): Promise<void> {
  await withFileLock(file, () => {
    const old = readTextIfExists(file) ?? '';
    const label = `{task="${slug.replace(/["\\\n]/g, '_')}"}`;
    const others = old.split('\n').filter((l) => l && !l.startsWith('#') && !l.includes(label));
    const series = [...others, ...prometheusLines(slug, s)].sort();
    writeFileAtomicSync(file, `${[...HELP, ...series].join('\n')}\n`);
  });
}

/** The StatsD gauges of one sample (`<prefix>.rollout.<metric>.<task>:<value>|g`). */
export function statsdLines(prefix: string, slug: string, s: RolloutSample): string[] {
  const task = slug.replace(/[^A-Za-z0-9_-]/g, '_');
  const p = prefix ? `${prefix}.` : '';
  const lines = [`${p}rollout.percent.${task}:${s.percent}|g`];
  if (s.healthy !== undefined) lines.push(`${p}rollout.healthy.${task}:${s.healthy ? 1 : 0}|g`);
  if (s.error_rate !== undefined) lines.push(`${p}rollout.error_rate.${task}:${s.error_rate}|g`);
  if (s.latency_ms !== undefined) lines.push(`${p}rollout.latency_ms.${task}:${s.latency_ms}|g`);
  return lines;
}

/** Sends the gauges in one UDP datagram (newline-separated, as StatsD accepts). */
export function sendStatsd(host: string, port: number, lines: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    socket.once('error', (e) => {
      socket.close();
      reject(e);
    });
    socket.send(Buffer.from(lines.join('\n')), port, host, (e) => {
      socket.close();
      if (e) reject(e);
      else resolve();
    });
  });
}

/**
 * Sends one sample to metrics.yaml and every configured sink. A sink that fails does not stop
 * the rollout: its error comes back as a warning.
 */
export async function recordRolloutSample(root: string, slug: string, sample: RolloutSample, config: MetricsConfig): Promise<string[]> {
  const warnings: string[] = [];
  writeMetricsYaml(root, slug, sample);
  if (config.prometheus_file) {
    const file = path.resolve(root, config.prometheus_file);
    await writePrometheusFile(file, slug, sample).catch((e: Error) =>
      warnings.push(`could not write the Prometheus file ${file}: ${e.message}`),
    );
  }
  if (config.statsd) {
    const { host, port, prefix } = config.statsd;
    await sendStatsd(host, port, statsdLines(prefix, slug, sample)).catch((e: Error) =>
      warnings.push(`could not send to StatsD at ${host}:${port}: ${e.message}`),
    );
  }
  return warnings;
}
