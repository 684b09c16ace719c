import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { jest } from '@jest/globals';
import { bundleRunner, killProcessesWith, processesWith, startRunner, uniqueSleep, waitFor } from '../testing/runner-process';
import { acquireTaskLock } from './run-lock';

jest.setTimeout(120_000);
const here = path.dirname(fileURLToPath(import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Integration: runners of one task killed with SIGKILL at random moments (before, while and
 * after they take the lock, start the command, end what the previous one left) leave nothing
 * running once the next run has started.
 */
describe('runs of a task killed with SIGKILL', () => {
  let dir: string;
  let bundle: string;
  const m = uniqueSleep();
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'factory-killed-runs-'));
    bundle = await bundleRunner(path.join(here, '../testing/killable-runner.ts'), dir);
  });
  afterAll(() => {
    killProcessesWith(m);
    rmSync(dir, { recursive: true, force: true });
  });

  it('leave no process running after the next run started, 20 kills in a row', async () => {
    const root = mkdtempSync(path.join(dir, 'ws-'));
    // Escapes three ways: setsid, a double fork, a plain background job; and a foreground sleep
    // (six processes with the shell and the double fork's sh).
    const command = `setsid sleep ${m} & (setsid sh -c "sleep ${m}" &); sleep ${m} & sleep ${m}`;
    let leftBehind = 0;
    let endedByRunners = 0;
    for (let i = 0; i < 20; i++) {
      const runner = startRunner(bundle, root, 'bd-1', command);
      // A random moment in one of four phases, whatever the machine's speed: while it starts or
      // takes the lock; once it holds it (ending what the last one left, starting the command);
      // while the command starts its processes; once all of them run.
      const phase = i % 4;
      // Its first line comes once it holds the lock and has ended what the last one left.
      if (phase >= 1) await waitFor(() => runner.lines.length > 0, 10_000);
      if (phase === 2) await waitFor(() => processesWith(m).length >= 1 + Math.floor(Math.random() * 5), 10_000);
      if (phase === 3) await waitFor(() => processesWith(m).length >= 6, 10_000);
      await sleep(Math.random() * (phase === 1 ? 20 : 100));
      runner.child.kill('SIGKILL');
      await runner.exited;
      leftBehind += processesWith(m).length > 0 ? 1 : 0;
      for (const line of runner.lines) if (line.step === 'locked') endedByRunners += (line.ended as unknown[]).length;
    }
    const before = processesWith(m);
    expect(before.length).toBeGreaterThanOrEqual(6);
    const next = await acquireTaskLock(root, 'bd-1', { kind: 'tcr', command: 'next' });
    await next.release();
    expect(processesWith(m)).toEqual([]);
    // (A shell of the last run may have started one more since `before` was taken.)
    expect(next.ended.map((k) => k.pid)).toEqual(expect.arrayContaining(before));
    // The kills did leave processes behind, which the runners that came next ended.
    expect(leftBehind).toBeGreaterThanOrEqual(10);
    expect(endedByRunners).toBeGreaterThan(0);
  });
});
