import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface RunOptions {
  cwd: string;
  /** Added to (and overriding) the parent's environment. `undefined` values remove a variable. */
  env?: Record<string, string | undefined>;
  /** Kill the whole process tree after this long. */
  timeoutMs?: number;
  /** Between SIGTERM and SIGKILL when killing (default 2 s). */
  killGraceMs?: number;
  /** Every chunk of stdout and stderr, interleaved in the order they arrive. */
  onOutput?: (chunk: string) => void;
  signal?: AbortSignal;
  /** Keep at most this many characters of output in memory (default 32 MiB); the rest still reaches onOutput. */
  maxCapture?: number;
}

export interface RunResult {
  /** Null when the process was ended by a signal. */
  exitCode: number | null;
  signal?: string;
  timedOut: boolean;
  aborted: boolean;
  /** Combined stdout and stderr (the first `maxCapture` characters). */
  output: string;
  truncated: boolean;
  durationMs: number;
  /** Set when the process could not be started at all (command not found, bad cwd). */
  spawnError?: string;
}

const POSIX = process.platform !== 'win32';
const DEFAULT_CAPTURE = 32 * 1024 * 1024;

/** The shell a contract's command runs in: bash when present (as the seeds' examples assume), else sh. */
export function defaultShell(): string {
  return existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh';
}

/**
 * Runs a contract's command string as its author wrote it, through the shell. Nothing is
 * interpolated into it: values such as the task's slug reach it as environment variables.
 */
export function runShellCommand(command: string, options: RunOptions): Promise<RunResult> {
  return POSIX ? runFile(defaultShell(), ['-c', command], options) : runFile(command, [], { ...options });
}

/**
 * Runs a program with an argument array (no shell). The child gets its own process group, so
 * a timeout or an abort kills it together with every process it started; when the child
 * exits, whatever it left running in its group is killed too.
 */
export async function runFile(file: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const started = Date.now();
  const max = options.maxCapture ?? DEFAULT_CAPTURE;
  let output = '';
  let truncated = false;
  let timedOut = false;
  let aborted = false;

  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  // node:child_process directly: execa cost the bundled stage runner ~40 ms of loading and a
  // slower spawn on every stage, for nothing this needs.
  const sub = spawn(file, args, {
    cwd: options.cwd,
    env,
    shell: !POSIX,
    detached: POSIX,
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });

  const killTree = (sig: NodeJS.Signals) => {
    if (sub.pid === undefined) return;
    try {
      if (POSIX) process.kill(-sub.pid, sig);
      else sub.kill(sig);
    } catch {
      // Already gone.
    }
  };
  const terminate = () => {
    killTree('SIGTERM');
    const t = setTimeout(() => killTree('SIGKILL'), options.killGraceMs ?? 2000);
    t.unref();
  };
  // If this process exits first, its child's process group goes with it.
  const onParentExit = () => killTree('SIGKILL');
  process.once('exit', onParentExit);

  const timer =
    options.timeoutMs !== undefined
      ? setTimeout(() => {
          timedOut = true;
          terminate();
        }, options.timeoutMs)
      : undefined;
  const onAbort = () => {
    aborted = true;
    terminate();
  };
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  // The child is done; anything it left behind in its process group would hold the pipes open.
  sub.on('exit', () => killTree('SIGKILL'));

  // stdout and stderr, interleaved in the order their chunks arrive.
  const onData = (chunk: string) => {
    if (output.length < max) {
      output += chunk.length + output.length <= max ? chunk : chunk.slice(0, max - output.length);
      if (output.length >= max) truncated = true;
    } else truncated = true;
    options.onOutput?.(chunk);
  };
  for (const stream of [sub.stdout, sub.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', onData);
  }

  const ended = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    sub.once('error', (error) => resolve({ code: null, signal: null, error }));
    sub.once('close', (code, signal) => resolve({ code, signal }));
  });
  if (timer) clearTimeout(timer);
  options.signal?.removeEventListener('abort', onAbort);
  process.removeListener('exit', onParentExit);

  const spawnError = ended.error && !timedOut && !aborted ? `${ended.error.message}` : undefined;
  return {
    exitCode: ended.error ? null : ended.code,
    ...(ended.signal ? { signal: ended.signal } : {}),
    timedOut,
    aborted,
    output,
    truncated,
    durationMs: Date.now() - started,
    spawnError,
  };
}
