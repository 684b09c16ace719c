import { readFileSync } from 'node:fs';
import os from 'node:os';

/**
 * When a process started, as the kernel counts it (Linux: field 22 of /proc/<pid>/stat, clock
 * ticks since boot). With the pid it names one process even after the pid is reused.
 * Undefined where /proc is not available.
 */
export function processStartTime(pid: number): string | undefined {
  return procStat(pid)?.[19];
}

/** Fields 3.. of /proc/<pid>/stat (state first), or undefined without /proc or when the process is gone. */
function procStat(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count from the last ")".
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

export interface ProcessRef {
  pid: number;
  host: string;
  /** processStartTime(pid) when it was recorded. */
  started?: string;
}

export function thisProcess(): ProcessRef {
  return { pid: process.pid, host: os.hostname(), started: processStartTime(process.pid) };
}

/**
 * Whether the process still runs. On another host it cannot be checked: it counts as alive.
 * A pid that now belongs to a process started at another time is a reused pid: not alive.
 */
export function isAlive(p: ProcessRef): boolean {
  if (p.host !== os.hostname()) return true;
  try {
    process.kill(p.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const stat = procStat(p.pid);
  // A zombie has ended; only its exit status waits for its parent.
  if (stat && (stat[0] === 'Z' || stat[0] === 'X')) return false;
  if (p.started !== undefined && stat && stat[19] !== p.started) return false;
  return true;
}
