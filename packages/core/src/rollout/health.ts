import { runShellCommand } from '../process/run';
import { extractErrorSummary } from '../process/summary';
import type { HealthConfig } from './config';
import type { HealthSample } from './state';

export interface HealthContext {
  root: string;
  slug: string;
  flagKey: string;
  /** The percentage served now (before the step the check gates). */
  percent: number;
  env?: Record<string, string>;
  /** Injected for tests; default: global fetch. */
  fetch?: typeof fetch;
}

interface Figures {
  error_rate?: unknown;
  latency_ms?: unknown;
}

/** The last line of `text` that is a JSON object, or undefined. */
function lastJsonObject(text: string): Figures | undefined {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .reverse();
  for (const l of lines) {
    if (!l.startsWith('{')) continue;
    try {
      const v: unknown = JSON.parse(l);
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as Figures;
    } catch {
      // not JSON: try an earlier line
    }
  }
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Figures) : undefined;
  } catch {
    return undefined;
  }
}

/** Judges reported figures against the thresholds (pure). */
export function judgeHealth(
  figures: Figures | undefined,
  config: Pick<HealthConfig, 'max_error_rate' | 'max_latency_ms'>,
  source: string,
): HealthSample {
  if (!figures)
    return {
      healthy: false,
      source,
      message: `${source} reported no figures; expected JSON such as {"error_rate": 0.001, "latency_ms": 120}`,
    };
  const { error_rate: e, latency_ms: l } = figures;
  if (typeof e !== 'number' || !Number.isFinite(e) || e < 0) {
    return {
      healthy: false,
      source,
      message: `${source}: expected "error_rate" to be a number from 0 (a fraction), got ${JSON.stringify(e)}`,
    };
  }
  if (typeof l !== 'number' || !Number.isFinite(l) || l < 0) {
    return {
      healthy: false,
      source,
      error_rate: e,
      message: `${source}: expected "latency_ms" to be a number of milliseconds, got ${JSON.stringify(l)}`,
    };
  }
  const why: string[] = [];
  if (e > config.max_error_rate) why.push(`error rate ${e} is above the limit ${config.max_error_rate}`);
  if (l > config.max_latency_ms) why.push(`latency ${l} ms is above the limit ${config.max_latency_ms} ms`);
  return {
    healthy: why.length === 0,
    error_rate: e,
    latency_ms: l,
    source,
    message: why.length
      ? `unhealthy: ${why.join('; ')}`
      : `healthy: error rate ${e} (limit ${config.max_error_rate}), latency ${l} ms (limit ${config.max_latency_ms} ms)`,
  };
}

/** `{slug}`, `{flag}`, `{percent}` in a URL, each URL-encoded. */
export function fillUrl(url: string, ctx: Pick<HealthContext, 'slug' | 'flagKey' | 'percent'>): string {
  return url.replace(/\{(slug|flag|percent)\}/g, (_m, k: string) =>
    encodeURIComponent(k === 'slug' ? ctx.slug : k === 'flag' ? ctx.flagKey : String(ctx.percent)),
  );
}

/**
 * Asks the configured health check: a command (its JSON output, or a non-zero exit) or an
 * HTTP endpoint (its JSON body, or a non-2xx answer), judged against the thresholds.
 */
export async function checkHealth(config: HealthConfig, ctx: HealthContext): Promise<HealthSample> {
  if (config.command) {
    const run = await runShellCommand(config.command, {
      cwd: ctx.root,
      env: { ...ctx.env, FACTORY_SLUG: ctx.slug, FACTORY_FLAG_KEY: ctx.flagKey, FACTORY_PERCENT: String(ctx.percent) },
      timeoutMs: config.timeout_seconds * 1000,
    });
    const source = 'the health command';
    if (run.spawnError) return { healthy: false, source, message: `${source} could not start: ${run.spawnError}` };
    if (run.timedOut) return { healthy: false, source, message: `${source} timed out after ${config.timeout_seconds}s` };
    if (run.exitCode !== 0) {
      return {
        healthy: false,
        source,
        message: `${source} failed (exit ${run.exitCode ?? run.signal}): ${extractErrorSummary(run.output, { exitCode: run.exitCode })}`,
      };
    }
    return judgeHealth(lastJsonObject(run.output), config, source);
  }
  const url = fillUrl(config.url as string, ctx);
  const source = `GET ${url}`;
  try {
    const res = await (ctx.fetch ?? fetch)(url, {
      signal: AbortSignal.timeout(config.timeout_seconds * 1000),
      headers: { accept: 'application/json' },
    });
    const body = await res.text();
    if (!res.ok) return { healthy: false, source, message: `${source} answered ${res.status} ${res.statusText}`.trim() };
    return judgeHealth(lastJsonObject(body), config, source);
  } catch (e) {
    const err = e as Error;
    const why =
      err.name === 'TimeoutError'
        ? `timed out after ${config.timeout_seconds}s`
        : `${err.message}${(err.cause as Error | undefined)?.message ? ` (${(err.cause as Error).message})` : ''}`;
    return { healthy: false, source, message: `${source} failed: ${why}` };
  }
}
