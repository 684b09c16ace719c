import { readProcText } from './proc-table';

/**
 * Which pids can belong to processes started after a given one. Linux hands out pids in
 * increasing order and wraps around at pid_max, so a run's descendants have pids above its
 * first process's, unless the counter wrapped. Scanning only those keeps the look for
 * left-behind processes at the end of every run cheap; after a wrap, or when so many
 * processes were created that the counter may have gone all the way round, every pid is a
 * candidate.
 */
export interface PidWindow {
  first: number;
  /** Processes created since boot (/proc/stat `processes`) when the window opened. */
  forks: number | undefined;
}

let pidMax: number | undefined;

function readPidMax(): number {
  if (pidMax === undefined) {
    const n = Number(readProcText('/proc/sys/kernel/pid_max').trim());
    pidMax = Number.isInteger(n) && n > 0 ? n : 4_194_304;
  }
  return pidMax;
}

/** Processes (and threads) created since boot, or undefined without /proc. */
function forkCount(): number | undefined {
  const m = /^processes (\d+)$/m.exec(readProcText('/proc/stat'));
  return m ? Number(m[1]) : undefined;
}

/** The last pid handed out in this pid namespace (/proc/loadavg, 5th field), or undefined. */
function lastPid(): number | undefined {
  const n = Number(readProcText('/proc/loadavg').trim().split(' ')[4]);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** Opens a window at `first`, the pid of a process that has just been started. */
export function pidWindow(first: number): PidWindow {
  return { first, forks: forkCount() };
}

/**
 * A test for "may have been created since the window opened". Call it after listing the
 * pids, so that every listed pid was handed out before the counter was read here.
 */
export function createdSince(w: PidWindow | undefined): (pid: number) => boolean {
  const all = () => true;
  if (!w || w.forks === undefined) return all;
  const forks = forkCount();
  const last = lastPid();
  if (forks === undefined || last === undefined || forks - w.forks >= readPidMax() / 2) return all;
  if (last >= w.first) return (pid) => pid >= w.first;
  // Wrapped once: the new pids are above the first, or at most the last.
  return (pid) => pid >= w.first || pid <= last;
}
