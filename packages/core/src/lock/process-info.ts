import os from 'node:os';
import { isDead, readStat } from '../process/proc-table';

/**
 * When a process started, as the kernel counts it (Linux: field 22 of /proc/<pid>/stat, clock
 * ticks since boot). With the pid it names one process even after the pid is reused.
 * Undefined where /proc is not available.
 */
export function processStartTime(pid: number): string | undefined {
  return readStat(pid)?.started;
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
  const stat = readStat(p.pid);
  // A zombie has ended; only its exit status waits for its parent.
  if (stat && isDead(stat)) return false;
  if (p.started !== undefined && stat && stat.started !== p.started) return false;
  return true;
}
