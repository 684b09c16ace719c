import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { jest } from '@jest/globals';
import { bundleRunner, killProcessesWith, processesWith, startRunner, uniqueSleep, waitFor } from '../testing/runner-process';
import { lockRecordText } from './record';
import { acquireTaskLock, currentTaskRun, TaskBusyError, taskProcessTag } from './run-lock';
import { isAlive, processStartTime } from './process-info';

jest.setTimeout(30_000);
const here = path.dirname(fileURLToPath(import.meta.url));

describe('acquireTaskLock', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'factory-lock-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const stateFile = () => path.join(root, '.factory/bd-1/.lock/run.json');

  it('gives a TCR run the task alone; a second fails naming the holder', async () => {
    const held = await acquireTaskLock(root, 'bd-1', { kind: 'tcr', command: 'nx run bd-1:tcr' });
    expect(held.ended).toEqual([]);
    const second = acquireTaskLock(root, 'bd-1', { kind: 'pipeline', owner: 'nx:1', command: 'nx run bd-1:stage-lint' });
    await expect(second).rejects.toThrow(TaskBusyError);
    await expect(second).rejects.toThrow(
      new RegExp(`busy with a tcr run: "nx run bd-1:tcr" by pid ${process.pid} on ${os.hostname()}, since \\d{4}-`),
    );
    await held.release();
    const third = await acquireTaskLock(root, 'bd-1', { kind: 'tcr', command: 'again' });
    await third.release();
  });

  it('lets the stages of one pipeline run share it, and keeps other runs out until the last one leaves', async () => {
    const a = await acquireTaskLock(root, 'bd-1', { kind: 'pipeline', owner: 'nx:42', command: 'stage a' });
    const b = await acquireTaskLock(root, 'bd-1', { kind: 'pipeline', owner: 'nx:42', command: 'stage b' });
    expect(currentTaskRun(root, 'bd-1')?.holders).toHaveLength(2);
    await expect(acquireTaskLock(root, 'bd-1', { kind: 'pipeline', owner: 'nx:43', command: 'other run' })).rejects.toThrow(
      /busy with a pipeline run/,
    );
    await a.release();
    await expect(acquireTaskLock(root, 'bd-1', { kind: 'tcr', command: 'tcr' })).rejects.toThrow(TaskBusyError);
    await b.release();
    expect(currentTaskRun(root, 'bd-1')).toBeUndefined();
  });

  it('keeps different tasks independent', async () => {
    const a = await acquireTaskLock(root, 'bd-1', { kind: 'tcr', command: 'a' });
    const b = await acquireTaskLock(root, 'bd-2', { kind: 'tcr', command: 'b' });
    await Promise.all([a.release(), b.release()]);
  });

  it('waits for a busy task when asked, and gets it once the holder releases', async () => {
    const held = await acquireTaskLock(root, 'bd-1', { kind: 'tcr', command: 'first' });
    const waits: string[] = [];
    const waiting = acquireTaskLock(root, 'bd-1', {
      kind: 'tcr',
      command: 'second',
      waitMs: 10_000,
      pollMs: 20,
      onWait: (s) => waits.push(s.holders[0].command),
    });
    await new Promise((r) => setTimeout(r, 100));
    await held.release();
    const got = await waiting;
    expect(waits).toEqual(['first']);
    expect(got.state.holders[0].command).toBe('second');
    await got.release();
  });

  it('tells a run whether any other run took or left the lock since it read the record', async () => {
    const take = (since: string | null, o: { owner?: string; waitMs?: number } = {}) =>
      acquireTaskLock(root, 'bd-1', { kind: 'pipeline', command: 'stage', unchangedSince: since, pollMs: 10, ...o });
    // Never taken, and nobody took it since: undisturbed.
    const never = lockRecordText(root, 'bd-1');
    expect(never).toBeNull();
    const first = await take(never);
    expect(first.undisturbed).toBe(true);
    await first.release();
    // A free lock keeps its record, counted up at every change.
    const free = lockRecordText(root, 'bd-1');
    expect(JSON.parse(free as string)).toMatchObject({ holders: [], seq: 2 });
    // A run that took and left the lock after the read (a TCR round, say) disturbs it.
    const tcr = await acquireTaskLock(root, 'bd-1', { kind: 'tcr', command: 'tcr' });
    await tcr.release();
    const after = await take(free);
    expect(after.undisturbed).toBe(false);
    await after.release();
    // A stage of the same pipeline run joining does not; taking the lock after waiting for another run does.
    const shared = lockRecordText(root, 'bd-1');
    const sibling = await take(shared, { owner: 'nx:1' });
    const joined = await take(lockRecordText(root, 'bd-1'), { owner: 'nx:1' });
    expect([sibling.undisturbed, joined.undisturbed]).toEqual([true, true]);
    const beforeWait = lockRecordText(root, 'bd-1');
    const waiting = take(beforeWait, { owner: 'nx:2', waitMs: 10_000 });
    await new Promise((r) => setTimeout(r, 50));
    await sibling.release();
    await joined.release();
    expect((await waiting).undisturbed).toBe(false);
    // Without the option, nothing is said.
    expect((await acquireTaskLock(root, 'bd-2', { kind: 'tcr', command: 'x' })).undisturbed).toBeUndefined();
  });

  it('clears the lock of a killed process and says what it cleared', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    await new Promise((r) => child.once('spawn', r));
    const dead = {
      pid: child.pid as number,
      host: os.hostname(),
      started: processStartTime(child.pid as number),
      command: 'nx run bd-1:tcr',
      since: new Date().toISOString(),
    };
    mkdirSync(path.dirname(stateFile()), { recursive: true });
    writeFileSync(stateFile(), JSON.stringify({ v: 1, task: 'bd-1', kind: 'tcr', owner: 'x', holders: [dead] }));
    await expect(acquireTaskLock(root, 'bd-1', { kind: 'tcr', command: 'next' })).rejects.toThrow(TaskBusyError);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    // The record has not changed since it was read, but the killed run may have left processes changing the code.
    const next = await acquireTaskLock(root, 'bd-1', { kind: 'tcr', command: 'next', unchangedSince: lockRecordText(root, 'bd-1') });
    expect(next.undisturbed).toBe(false);
    expect(next.cleared?.holders[0]).toMatchObject({ pid: dead.pid, command: 'nx run bd-1:tcr' });
    expect(JSON.parse(readFileSync(stateFile(), 'utf8')).holders[0].pid).toBe(process.pid);
    await next.release();
  });

  it("names the task's processes by the task's folder", async () => {
    const held = await acquireTaskLock(root, 'bd-1', { kind: 'tcr', command: 'x' });
    expect(held.tag).toEqual({ task: path.join(realpathSync(root), '.factory', 'bd-1') });
    expect(taskProcessTag(root, 'bd-1')).toEqual(held.tag);
    await held.release();
  });

  it('rejects a slug that would leave .factory/', async () => {
    await expect(acquireTaskLock(root, '../x', { kind: 'tcr', command: 'x' })).rejects.toThrow(/slug/);
  });
});

describe('acquireTaskLock after a killed run', () => {
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
    dir = mkdtempSync(path.join(tmpdir(), 'factory-lock-killed-'));
    bundle = await bundleRunner(path.join(here, '../testing/killable-runner.ts'), dir);
  });
  beforeEach(() => {
    root = mkdtempSync(path.join(dir, 'ws-'));
  });
  afterEach(() => {
    for (const m of started.splice(0)) killProcessesWith(m);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const escaping = (m: string) => `setsid sleep ${m} & (setsid sh -c "sleep ${m}" &); sleep ${m}`;

  it('ends what the killed run left running before the next run starts, and says what it ended', async () => {
    const m = marker();
    const runner = startRunner(bundle, root, 'bd-1', escaping(m));
    expect(await waitFor(() => processesWith(m).length >= 4)).toBe(true);
    runner.child.kill('SIGKILL');
    await runner.exited;
    const left = processesWith(m);
    expect(left.length).toBeGreaterThanOrEqual(4);

    const next = await acquireTaskLock(root, 'bd-1', { kind: 'tcr', command: 'next' });
    expect(next.cleared?.holders.map((h) => h.pid)).toEqual([runner.child.pid]);
    expect(next.ended.map((k) => k.pid)).toEqual(expect.arrayContaining(left));
    expect(next.ended.map((k) => k.command)).toEqual(expect.arrayContaining([`sleep ${m}`, `sh -c sleep ${m}`]));
    expect(processesWith(m)).toEqual([]);
    await next.release();
  });

  it('keeps a killed holder of a shared pipeline lock in the record until the next run, which ends what it left', async () => {
    const m = marker();
    const sibling = await acquireTaskLock(root, 'bd-1', { kind: 'pipeline', owner: 'nx:9', command: 'stage a' });
    const runner = startRunner(bundle, root, 'bd-1', escaping(m), { owner: 'nx:9' });
    expect(await waitFor(() => processesWith(m).length >= 4)).toBe(true);
    runner.child.kill('SIGKILL');
    await runner.exited;
    await sibling.release();
    // No live run holds the task, but the record still names the killed holder.
    expect(currentTaskRun(root, 'bd-1')).toBeUndefined();
    expect(processesWith(m).length).toBeGreaterThanOrEqual(4);

    const next = await acquireTaskLock(root, 'bd-1', { kind: 'tcr', command: 'next' });
    expect(next.cleared?.holders.map((h) => h.pid)).toEqual([runner.child.pid]);
    expect(next.ended.length).toBeGreaterThanOrEqual(4);
    expect(processesWith(m)).toEqual([]);
    await next.release();
  });
});

describe('isAlive', () => {
  it('tells a running process from a gone one and from a reused pid', () => {
    const me = { pid: process.pid, host: os.hostname(), started: processStartTime(process.pid) };
    expect(isAlive(me)).toBe(true);
    expect(isAlive({ ...me, started: me.started === undefined ? undefined : `${me.started}1` })).toBe(me.started === undefined);
    expect(isAlive({ ...me, pid: 2 ** 22 + 12345 })).toBe(false);
    expect(isAlive({ ...me, host: 'elsewhere', pid: 2 ** 22 + 12345 })).toBe(true);
  });
});
