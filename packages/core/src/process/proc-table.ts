import { closeSync, existsSync, openSync, readdirSync, readlinkSync, readSync } from 'node:fs';

/**
 * Readers of Linux's process table (/proc), for finding the processes of a run. Every reader
 * returns undefined (or nothing) for a process that is gone or unreadable, and elsewhere than
 * on Linux, where callers fall back to the process group alone.
 */

let procAvailable: boolean | undefined;

/** Whether this system has a Linux /proc to look processes up in. */
export function hasProc(): boolean {
  return (procAvailable ??= process.platform === 'linux' && existsSync('/proc/self/stat'));
}

export interface ProcStat {
  /** R, S, D, Z (zombie), T (stopped), … */
  state: string;
  ppid: number;
  pgrp: number;
  session: number;
  /** Field 22: clock ticks since boot when the process started; with the pid it names one process. */
  started: string;
}

/** One buffer for every read: the scans run synchronously. */
let buffer = Buffer.allocUnsafe(64 * 1024);

/**
 * The content of a /proc file (open and read into the shared buffer: the files report no size,
 * and readFileSync's way of reading them costs more than the read), or undefined when it is gone.
 */
function readProcFile(file: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  let length = 0;
  try {
    for (;;) {
      if (length === buffer.length) {
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger);
        buffer = bigger;
      }
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
  return buffer.subarray(0, length);
}

/** A /proc file's text, or '' when it cannot be read. */
export function readProcText(file: string): string {
  return readProcFile(file)?.toString('latin1') ?? '';
}

/** The fields of /proc/<pid>/stat that matter here, or undefined when the process is gone. */
export function readStat(pid: number | 'self'): ProcStat | undefined {
  const text = readProcText(`/proc/${pid}/stat`);
  // The command name (field 2) is in parentheses and may hold spaces: count from the last ")".
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  if (f.length < 20) return undefined;
  return { state: f[0], ppid: Number(f[1]), pgrp: Number(f[2]), session: Number(f[3]), started: f[19] };
}

/** True for a process that has ended and waits only for its parent to collect its status. */
export const isDead = (s: ProcStat): boolean => s.state === 'Z' || s.state === 'X';

/** The ids of every process in this pid namespace. */
export function listPids(): number[] {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const name of names) {
    const c = name.charCodeAt(0);
    if (c >= 48 && c <= 57) pids.push(Number(name));
  }
  return pids;
}

/**
 * The value of environment variable `name` as process `pid` was started with (what it set
 * later is not visible), or undefined. Readable for processes of the same user (all, as root).
 */
export function readEnvVar(pid: number, name: string): string | undefined {
  const env = readProcFile(`/proc/${pid}/environ`);
  if (!env) return undefined;
  const key = `${name}=`;
  let at = env.indexOf(key, 0, 'latin1');
  while (at > 0 && env[at - 1] !== 0) at = env.indexOf(key, at + 1, 'latin1');
  if (at < 0) return undefined;
  const end = env.indexOf(0, at);
  return env.toString('utf8', at + key.length, end < 0 ? env.length : end);
}

/**
 * The process's command line (arguments joined by spaces, cut to 300 characters), else its name.
 * A live process with an empty command line is in the middle of exec (the kernel names it
 * before its new arguments are in place): it is read again, a millisecond apart, a few times.
 */
export function readCommand(pid: number): string {
  return commandOf({
    cmdline: () => readProcFile(`/proc/${pid}/cmdline`)?.toString('utf8'),
    comm: () => readProcText(`/proc/${pid}/comm`),
    state: () => readStat(pid)?.state,
    pause: () => Atomics.wait(pauseCell, 0, 0, 1),
  });
}

const pauseCell = new Int32Array(new SharedArrayBuffer(4));

/** How many times an empty command line of a live process is read again. */
export const EXEC_REREADS = 20;

/** The readers `readCommand` uses, apart so that the rereading can be tested. */
export interface CommandReaders {
  cmdline(): string | undefined;
  comm(): string;
  state(): string | undefined;
  pause(): void;
}

export function commandOf(read: CommandReaders): string {
  for (let i = 0; ; i++) {
    const raw = read.cmdline();
    if (raw === undefined) break;
    const line = raw.replace(/\0+$/, '').split('\0').join(' ');
    if (line) return line.length > 300 ? `${line.slice(0, 299)}…` : line;
    const state = read.state();
    if (i >= EXEC_REREADS || state === undefined || state === 'Z' || state === 'X') break;
    read.pause();
  }
  const name = read.comm().trim();
  return name ? `[${name}]` : '?';
}

/**
 * `pipe:[inode]` or `socket:[inode]` when file descriptor `fd` of process `pid` is one (Node
 * gives a child's stdio as socket pairs), else undefined. Every process that inherited the
 * descriptor shows the same.
 */
export function outputOf(pid: number, fd: number): string | undefined {
  try {
    const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    return target.startsWith('pipe:') || target.startsWith('socket:') ? target : undefined;
  } catch {
    return undefined;
  }
}

/** The processes (other than this one) that hold one of `pipes` open, by pid. */
export function pipeHolders(pipes: ReadonlySet<string>): number[] {
  const holders: number[] = [];
  for (const pid of listPids()) {
    if (pid === process.pid) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    if (fds.some((fd) => pipes.has(readlinkOr(`/proc/${pid}/fd/${fd}`)))) holders.push(pid);
  }
  return holders;
}

function readlinkOr(file: string): string {
  try {
    return readlinkSync(file);
  } catch {
    return '';
  }
}
