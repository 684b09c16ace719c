import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { jest } from '@jest/globals';
import { taskProcessTag } from '../lock/run-lock';
import { bundleRunner, killProcessesWith, processesWith, startRunner, uniqueSleep, waitFor } from '../testing/runner-process';
import { describeKilled, endLeftoverProcesses } from './leftovers';
import { runShellCommand } from './run';

jest.setTimeout(30_000);
const here = path.dirname(fileURLToPath(import.meta.url));

describe('endLeftoverProcesses', () => {
  let dir: string;
  let root: string;
  let bundle: string;
  const started: string[] = [];
  const marker = () => {
    const m = uniqueSleep();
    started.push(m);
    return m;
  };
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'factory-leftovers-'));
    bundle = await bundleRunner(path.join(here, '../testing/killable-runner.ts'), dir);
  });
  beforeEach(() => {
    root = mkdtempSync(path.join(dir, 'ws-'));
  });
  afterEach(() => {
    for (const m of started.splice(0)) killProcessesWith(m);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A runner that ran `command` on the task until it was killed with SIGKILL once `count` processes of `m` ran. */
  const killedRunner = async (slug: string, m: string, command: string, count: number) => {
    const runner = startRunner(bundle, root, slug, command);
    expect(await waitFor(() => processesWith(m).length >= count)).toBe(true);
    runner.child.kill('SIGKILL');
    await runner.exited;
  };
  const escaping = (m: string) => `setsid sleep ${m} & (setsid sh -c "sleep ${m}" &); sleep ${m}`;

  it('ends what a runner killed with SIGKILL left running, and names it', async () => {
    const m = marker();
    await killedRunner('bd-1', m, escaping(m), 3);
    // Killing the runner ended none of them: they left its process group, or the runner had no chance.
    const left = processesWith(m);
    expect(left.length).toBeGreaterThanOrEqual(3);
    const ended = await endLeftoverProcesses(taskProcessTag(root, 'bd-1'));
    expect(ended.map((k) => k.pid)).toEqual(expect.arrayContaining(left));
    expect(ended.filter((k) => k.command === `sleep ${m}`).length).toBeGreaterThanOrEqual(2);
    expect(processesWith(m)).toEqual([]);
  });

  it('leaves the processes of a live run of the same task alone', async () => {
    const m = marker();
    const tag = taskProcessTag(root, 'bd-1');
    const ac = new AbortController();
    const live = runShellCommand(`setsid sleep ${m} & sleep ${m}`, { cwd: root, tag, signal: ac.signal, killGraceMs: 100 });
    // The shell and its two sleeps.
    expect(await waitFor(() => processesWith(m).length === 3)).toBe(true);
    expect(await endLeftoverProcesses(tag)).toEqual([]);
    expect(processesWith(m)).toHaveLength(3);
    ac.abort();
    expect((await live).killed).toHaveLength(3);
  });

  it("leaves another task's leftovers alone", async () => {
    const m = marker();
    await killedRunner('bd-2', m, escaping(m), 3);
    expect(await endLeftoverProcesses(taskProcessTag(root, 'bd-1'))).toEqual([]);
    expect(processesWith(m).length).toBeGreaterThanOrEqual(3);
    expect((await endLeftoverProcesses(taskProcessTag(root, 'bd-2'))).length).toBeGreaterThanOrEqual(3);
    expect(processesWith(m)).toEqual([]);
  });

  it('ends nothing for the empty task, which every run without a task carries', async () => {
    expect(await endLeftoverProcesses({ task: '' })).toEqual([]);
  });
});

describe('describeKilled', () => {
  it('names the first few processes and counts the rest', () => {
    const killed = [1, 2, 3].map((pid) => ({ pid, command: `sleep ${pid}` }));
    expect(describeKilled(killed, 2)).toBe('pid 1 (sleep 1), pid 2 (sleep 2) and 1 more');
    expect(describeKilled([{ pid: 7, command: 'x'.repeat(100) }])).toBe(`pid 7 (${'x'.repeat(79)}…)`);
  });
});
