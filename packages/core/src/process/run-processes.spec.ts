import { spawn } from 'node:child_process';
import type { ProcStat } from './proc-table';
import { pidWindow } from './pid-window';
import { findProcesses, ProcessReaper, type FoundProcesses } from './run-processes';
import { killProcessesWith, processesWith, uniqueSleep, waitFor } from '../testing/runner-process';

const stat = (pid: number): ProcStat => ({ state: 'S', ppid: 1, pgrp: pid, session: pid, started: '1' });
const look = (pids: number[], unsure = 0): FoundProcesses => ({ live: new Map(pids.map((p) => [p, stat(p)])), unsure });

describe('ProcessReaper.kill', () => {
  /** A reaper whose looks return `looks` in turn (then nothing), and how many looks it took. */
  const reaperOver = (looks: FoundProcesses[]) => {
    let taken = 0;
    // Pids that cannot exist (above any pid_max): signalling them fails quietly.
    const reaper = new ProcessReaper(() => looks[taken++] ?? look([]));
    return { reaper, taken: () => taken };
  };

  it('stops at the first look that finds nothing and saw nothing end', async () => {
    const r = reaperOver([look([]), look([90_000_001])]);
    await r.reaper.kill();
    expect(r.taken()).toBe(1);
    expect(r.reaper.list()).toEqual([]);
  });

  it('looks again after a look that found nothing but saw a process end, and ends what the next look finds', async () => {
    // The ended process may have started a daemon after the listing had passed its pid.
    const r = reaperOver([look([], 1), look([90_000_002])]);
    await r.reaper.kill();
    expect(r.reaper.list().map((k) => k.pid)).toEqual([90_000_002]);
  });

  it('gives up doubting after a few looks when processes keep ending elsewhere', async () => {
    const r = reaperOver(Array.from({ length: 50 }, () => look([], 1)));
    await r.reaper.kill();
    expect(r.taken()).toBe(4);
  });
});

describe('findProcesses', () => {
  it('counts a listed process that is a zombie as one it could not judge', async () => {
    const m = uniqueSleep();
    // `sleep 0` exits; its parent became `sleep <m>` by exec and never collects it: a zombie.
    const sub = spawn('sh', ['-c', `sleep 0 & exec sleep ${m}`], { stdio: 'ignore' });
    try {
      const pid = sub.pid!;
      const window = pidWindow(pid);
      expect(await waitFor(() => processesWith(m).length === 1)).toBe(true);
      await new Promise((r) => setTimeout(r, 200));
      // A group that is nobody's: nothing is found, and the zombie above `pid` is counted.
      const found = findProcesses(() => false, { window });
      expect(found.live.size).toBe(0);
      expect(found.unsure).toBeGreaterThanOrEqual(1);
    } finally {
      killProcessesWith(m);
    }
  });
});
