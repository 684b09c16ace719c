import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pidWindow } from './pid-window';
import { hasProc, outputOf } from './proc-table';
import { findProcesses, ProcessReaper, type KilledProcess } from './run-processes';
import { newTagEntry, TAG_VARIABLE, tagValue, type ProcessTag } from './run-tag';

export type { KilledProcess } from './run-processes';
export type { ProcessTag } from './run-tag';
export { TAG_VARIABLE } from './run-tag';
export { describeKilled, endLeftoverProcesses, type LeftoverOptions } from './leftovers';

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
  /**
   * The task the run belongs to. Every process of the run carries it (with the run's id and
   * this process as the run's owner), so that if this process is killed before it could end
   * them, the next run of the task finds them: see `endLeftoverProcesses` and the run lock.
   */
  tag?: ProcessTag;
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
  /**
   * The processes this run ended: after a timeout or an abort, every process of the run that
   * was still running (the command's own included); after the command exited, whatever it left
   * running (background jobs, daemons, holders of its output). Empty when nothing was ended.
   */
  killed: KilledProcess[];
}

const POSIX = process.platform !== 'win32';
const DEFAULT_CAPTURE = 32 * 1024 * 1024;
/**
 * After the command exited and its processes were ended, how long its output may stay open
 * before the processes holding it are looked for, and then before it is closed regardless.
 */
const PIPE_GRACE_MS = 200;
const PIPE_CLOSE_MS = 1000;

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

/** Resolves true once `done` resolved, false after `ms`; leaves no timer behind. */
function within(done: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)));
  return Promise.race([done.then(() => true), late]).finally(() => clearTimeout(timer));
}

/**
 * Runs a program with an argument array (no shell). The child leads its own session and process
 * group, and it and everything it starts carry the run's marker in their environment (see
 * docs/processes.md). A timeout or an abort ends all of them, including those that left the
 * group (setsid, double forks, daemons); when the child exits, whatever it left running is
 * ended too, and output pipes still held open after that do not keep the run waiting.
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
  const tag = newTagEntry(options.tag?.task ?? '');
  env[TAG_VARIABLE] = tagValue(env[TAG_VARIABLE], tag);
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

  const pid = sub.pid;
  const linux = pid !== undefined && hasProc();
  // The run's processes: the command's session, and whatever carries the run's marker.
  const scope = linux ? { window: pidWindow(pid), sessions: [pid] } : undefined;
  // The command's output pipes, read now while the command surely holds them.
  const pipes = new Set<string>();
  if (linux) {
    for (const pipe of [outputOf(pid, 1), outputOf(pid, 2)]) if (pipe) pipes.add(pipe);
  }
  const reaper = new ProcessReaper(
    () => (scope ? findProcesses((entries) => entries.some((e) => e.run === tag.run), scope) : { live: new Map(), unsure: 0 }),
    POSIX ? pid : undefined,
  );

  let graceTimer: NodeJS.Timeout | undefined;
  const terminate = () => {
    if (!POSIX) {
      sub.kill('SIGTERM');
      return;
    }
    reaper.signal('SIGTERM');
    graceTimer ??= setTimeout(() => void reaper.kill(), options.killGraceMs ?? 2000);
    graceTimer.unref();
  };
  // If this process exits first, the run's processes go with it.
  const onParentExit = () => (POSIX ? reaper.killNow() : sub.kill('SIGKILL'));
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

  const closed = new Promise<void>((resolve) => sub.once('close', () => resolve()));
  // The command is done: end what it left running, then wait for its output to end. Pipes held
  // by a process found neither by its marker nor by its session are held by a process that
  // escaped both: it is ended too, and if the pipes stay open still, they are closed here.
  const afterExit = async () => {
    if (POSIX) await reaper.kill();
    if (await within(closed, PIPE_GRACE_MS)) return;
    reaper.killPipeHolders(pipes);
    if (await within(closed, PIPE_CLOSE_MS)) return;
    sub.stdout?.destroy();
    sub.stderr?.destroy();
  };

  const ended = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    sub.once('error', (error) => resolve({ code: null, signal: null, error }));
    sub.once(
      'exit',
      (code, signal) =>
        void afterExit()
          .catch(() => undefined)
          .then(() => resolve({ code, signal })),
    );
  });
  if (timer) clearTimeout(timer);
  if (graceTimer) clearTimeout(graceTimer);
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
    killed: reaper.list(),
  };
}
