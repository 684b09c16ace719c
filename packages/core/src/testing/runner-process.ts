import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { build } from 'esbuild';

/**
 * For tests: processes found by a unique marker in their command line (as `pgrep -f` sees
 * them), a runner to kill with SIGKILL (killable-runner.ts, bundled once), and clean-up by
 * marker, so that a test only ever touches processes it started.
 */

/** A marker no other process has: a sleep duration such as `300.482913`. */
export function uniqueSleep(): string {
  return `300.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}${process.pid % 10}`;
}

/** The pids of live processes whose command line contains `marker`. */
export function processesWith(marker: string): number[] {
  try {
    const out = execFileSync('pgrep', ['-f', marker.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')], { encoding: 'utf8' });
    return out.split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** SIGKILLs every process whose command line contains `marker` (this test's own). */
export function killProcessesWith(marker: string): void {
  for (const pid of processesWith(marker)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone.
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `check` is true (polling), up to `ms`; returns whether it became true. */
export async function waitFor(check: () => boolean, ms = 5000): Promise<boolean> {
  for (const until = Date.now() + ms; Date.now() < until; await sleep(20)) if (check()) return true;
  return check();
}

/** Bundles `entry` (killable-runner.ts) into `dir`; returns the bundle's path. */
export async function bundleRunner(entry: string, dir: string): Promise<string> {
  const outfile = path.join(dir, 'killable-runner.cjs');
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}

export interface RunnerProcess {
  child: ChildProcess;
  /** The JSON lines it printed so far. */
  lines: Record<string, unknown>[];
  /** Resolves when it has exited and all it printed was read. */
  exited: Promise<void>;
}

/**
 * Starts the bundled runner on a task with a command (joining the pipeline run `owner`, if
 * given; calling process.exit `exitMs` after the command started, if given).
 */
export function startRunner(
  bundle: string,
  root: string,
  slug: string,
  command: string,
  o: { owner?: string; exitMs?: number } = {},
): RunnerProcess {
  const args = [bundle, root, slug, command, ...(o.owner ? [o.owner] : [])];
  const env = { ...process.env, ...(o.exitMs ? { KILLABLE_RUNNER_EXIT_MS: String(o.exitMs) } : {}) };
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env });
  const lines: Record<string, unknown>[] = [];
  let pending = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    pending += chunk;
    for (let i = pending.indexOf('\n'); i >= 0; i = pending.indexOf('\n')) {
      lines.push(JSON.parse(pending.slice(0, i)) as Record<string, unknown>);
      pending = pending.slice(i + 1);
    }
  });
  const exited = new Promise<void>((r) => child.once('close', () => r()));
  return { child, lines, exited };
}
