import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { jest } from '@jest/globals';
import { bundleRunner, killProcessesWith, processesWith, startRunner, uniqueSleep, waitFor } from '../testing/runner-process';
import { parseTag } from './run-tag';
import { runFile, runShellCommand, TAG_VARIABLE } from './run';

jest.setTimeout(30_000);

/** Every sleep a test starts has a duration no other process uses; all are killed after each test. */
const started: string[] = [];
const marker = () => {
  const m = uniqueSleep();
  started.push(m);
  return m;
};
afterEach(() => {
  for (const m of started.splice(0)) killProcessesWith(m);
});
/** `sh -c "…"` that says it runs (touches `file`) and becomes `sleep <m>`; `waitUp` waits for it. */
const sayUp = (file: string, m: string) => `sh -c "touch ${file}; exec sleep ${m}"`;
const waitUp = (file: string) => `until [ -e ${file} ]; do sleep 0.01; done`;
/** What a daemon does with its standard streams: the run's output pipes do not lead to it. */
const DETACHED = '</dev/null >/dev/null 2>&1';
/** One process named, whose command line (as it was when it was ended) runs the sleep. */
const oneSleep = (m: string) => [{ pid: expect.any(Number), command: expect.stringContaining(`sleep ${m}`) }];

describe('runShellCommand', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'factory-run-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('captures stdout and stderr interleaved and the exit code', async () => {
    const chunks: string[] = [];
    const r = await runShellCommand('echo out; echo err >&2; exit 3', { cwd: dir, onOutput: (c) => chunks.push(c) });
    expect(r.exitCode).toBe(3);
    expect(r.output).toBe('out\nerr\n');
    expect(chunks.join('')).toBe('out\nerr\n');
    expect(r.timedOut).toBe(false);
    expect(r.killed).toEqual([]);
  });

  it('runs in the given directory with extra environment variables', async () => {
    const r = await runShellCommand('pwd; echo "$FACTORY_SLUG"', { cwd: dir, env: { FACTORY_SLUG: 'bd-1.2' } });
    expect(r.output.trim().split('\n')).toEqual([dir, 'bd-1.2']);
  });

  it('does not interpolate environment values into the shell', async () => {
    const r = await runShellCommand('echo "$X"', { cwd: dir, env: { X: '$(echo pwned); `id`' } });
    expect(r.output).toBe('$(echo pwned); `id`\n');
  });

  it('kills the whole process tree on timeout, grandchildren included', async () => {
    const m = marker();
    const r = await runShellCommand(`sh -c "sleep ${m} & sleep ${m}"`, { cwd: dir, timeoutMs: 500, killGraceMs: 200 });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBeNull();
    expect(processesWith(m)).toEqual([]);
  });

  it('ends processes that left the session (setsid) on timeout, within the limit plus the grace, and names them', async () => {
    const m = marker();
    const t = Date.now();
    const r = await runShellCommand(`setsid sleep ${m} & sleep ${m}`, { cwd: dir, timeoutMs: 2000 });
    expect(Date.now() - t).toBeLessThan(7000);
    expect(r.timedOut).toBe(true);
    expect(r.killed.filter((k) => k.command === `sleep ${m}`)).toHaveLength(2);
    expect(processesWith(m)).toEqual([]);
  });

  it('ends a double-forked daemon on timeout', async () => {
    const m = marker();
    const t = Date.now();
    const r = await runShellCommand(`sh -c '(setsid sh -c "sleep ${m}" ${DETACHED} &) &'; sleep ${m}`, { cwd: dir, timeoutMs: 2000 });
    expect(Date.now() - t).toBeLessThan(7000);
    expect(r.timedOut).toBe(true);
    expect(r.killed.map((k) => k.command)).toEqual(expect.arrayContaining([`sleep ${m}`, `sh -c sleep ${m}`]));
    expect(processesWith(m)).toEqual([]);
  });

  it('kills processes the command left running in the background when it exits', async () => {
    const m = marker();
    const r = await runShellCommand(`sleep ${m} & echo started`, { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(r.killed).toEqual(oneSleep(m));
    expect(processesWith(m)).toEqual([]);
  });

  it('ends and names a daemon the command started before exiting 0', async () => {
    const m = marker();
    const up = path.join(dir, `up-${m}`);
    // The daemon says when it runs; the command exits 0 as soon as it does.
    const r = await runShellCommand(`sh -c '(setsid ${sayUp(up, m)} ${DETACHED} &) &'; ${waitUp(up)}`, { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(r.timedOut).toBe(false);
    expect(r.killed.map((k) => k.command).join('\n')).toContain(`sleep ${m}`);
    expect(processesWith(m)).toEqual([]);
  });

  it('ends at once when the command exits 0 at once, leaving a daemon starting', async () => {
    const m = marker();
    const t = Date.now();
    const r = await runShellCommand(`sh -c '(setsid sh -c "sleep ${m}" ${DETACHED} &) &'`, { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(Date.now() - t).toBeLessThan(3000);
    // Whatever of the daemon had started is gone, and nothing starts after.
    await new Promise((res) => setTimeout(res, 300));
    expect(processesWith(m)).toEqual([]);
  });

  it('does not wait for output pipes held by an escaped process that carries the run marker', async () => {
    const m = marker();
    const up = path.join(dir, `up-${m}`);
    const t = Date.now();
    const r = await runShellCommand(`setsid ${sayUp(up, m)} & ${waitUp(up)}; echo done`, { cwd: dir });
    expect(Date.now() - t).toBeLessThan(3000);
    expect(r.output).toBe('done\n');
    expect(r.killed).toEqual(oneSleep(m));
    expect(processesWith(m)).toEqual([]);
  });

  it('ends an escaped process that cleared its environment but holds the output pipes', async () => {
    const m = marker();
    const up = path.join(dir, `up-${m}`);
    const t = Date.now();
    // env -i: no marker; setsid: not in the session; its parent exits: no parent link. Only the pipe ties it to the run.
    const r = await runShellCommand(`env -i setsid ${sayUp(up, m)} & ${waitUp(up)}; echo done`, { cwd: dir });
    expect(Date.now() - t).toBeLessThan(4000);
    expect(r.exitCode).toBe(0);
    expect(r.output).toBe('done\n');
    expect(r.killed).toEqual(oneSleep(m));
    expect(processesWith(m)).toEqual([]);
  });

  it('ends a process that cleared its environment but stayed in the session', async () => {
    const m = marker();
    const up = path.join(dir, `up-${m}`);
    const r = await runShellCommand(`env -i ${sayUp(up, m)} ${DETACHED} & ${waitUp(up)}`, { cwd: dir });
    expect(r.killed).toEqual(oneSleep(m));
    expect(processesWith(m)).toEqual([]);
  });

  it('stops on abort', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const r = await runShellCommand('sleep 30', { cwd: dir, signal: ac.signal, killGraceMs: 100 });
    expect(r.aborted).toBe(true);
    expect(r.exitCode).toBeNull();
  });

  it('ends every process on abort, those that left the session included', async () => {
    const m = marker();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    const t = Date.now();
    const r = await runShellCommand(`setsid sleep ${m} & (setsid sh -c "sleep ${m}" &); trap "" TERM; sleep ${m}; sleep ${m}`, {
      cwd: dir,
      signal: ac.signal,
      killGraceMs: 500,
    });
    expect(Date.now() - t).toBeLessThan(5000);
    expect(r.aborted).toBe(true);
    expect(r.killed.filter((k) => k.command === `sleep ${m}`).length).toBeGreaterThanOrEqual(3);
    expect(processesWith(m)).toEqual([]);
  });

  it('marks every process with the run: its id, this process as owner, and the task', async () => {
    const r = await runShellCommand(`echo "$${TAG_VARIABLE}"`, {
      cwd: dir,
      tag: { task: '/w s/.factory/bd-1' },
      env: { [TAG_VARIABLE]: 'v1:0011:1:99:outer' },
    });
    const entries = parseTag(r.output.trim());
    expect(entries).toEqual([
      { run: '0011', ownerPid: 1, ownerStart: '99', task: 'outer' },
      {
        run: expect.stringMatching(/^[0-9a-f]{16}$/),
        ownerPid: process.pid,
        ownerStart: expect.stringMatching(/^\d+$/),
        task: '/w s/.factory/bd-1',
      },
    ]);
  });

  it('truncates the captured output but still streams all of it', async () => {
    let streamed = 0;
    const r = await runShellCommand('head -c 100000 /dev/zero | tr "\\0" x', {
      cwd: dir,
      maxCapture: 1000,
      onOutput: (c) => (streamed += c.length),
    });
    expect(r.output.length).toBe(1000);
    expect(r.truncated).toBe(true);
    expect(streamed).toBe(100000);
  });
});

describe('runFile', () => {
  it('passes arguments without a shell', async () => {
    const r = await runFile('printf', ['%s|', 'a b', '$(x)', ';'], { cwd: tmpdir() });
    expect(r.output).toBe('a b|$(x)|;|');
  });

  it('reports a program that cannot be started', async () => {
    const r = await runFile('definitely-not-a-program-xyz', [], { cwd: tmpdir() });
    expect(r.exitCode).toBeNull();
    expect(r.spawnError).toMatch(/ENOENT|not found/);
    expect(r.killed).toEqual([]);
  });
});

describe('runFile in a process that exits while it runs', () => {
  let dir: string;
  let bundle: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'factory-run-exit-'));
    const here = path.dirname(fileURLToPath(import.meta.url));
    bundle = await bundleRunner(path.join(here, '../testing/killable-runner.ts'), dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ends every process of the run as the process exits, those that left the session included', async () => {
    const m = marker();
    const up = path.join(dir, `up-${m}`);
    const runner = startRunner(bundle, dir, 'bd-1', `setsid sleep ${m} & sh -c '(setsid ${sayUp(up, m)} ${DETACHED} &) &'; sleep ${m}`, {
      exitMs: 2000,
    });
    expect(await waitFor(() => processesWith(m).length >= 4, 10_000)).toBe(true);
    await runner.exited;
    expect(runner.child.exitCode).toBe(3);
    expect(processesWith(m)).toEqual([]);
  });
});
