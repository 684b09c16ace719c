import { existsSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { FactoryError } from '../domain/errors';
import { writeFileAtomicSync } from '../store/atomic';
import { lockDir, readText } from './record';
import { endLeftoverProcesses, type KilledProcess, type ProcessTag } from '../process/run';
import { isAlive, thisProcess, type ProcessRef } from './process-info';

/**
 * One pipeline or TCR run per task at a time. The state lives in `.factory/<slug>/.lock/`
 * (ignored by git): `run.json` names the run and its live processes, and a short-lived
 * `mutex` (proper-lockfile) guards changes to it. Every change to `run.json` counts up its
 * `seq` and a free lock keeps the file (no holders), so a text read before is the text read now
 * only when no run took or left the lock in between (see `AcquireOptions.unchangedSince`).
 *
 * The stages of one pipeline run are separate processes that Nx starts in parallel, so a
 * pipeline lock is shared: every holder with the same `owner` (the invocation that started the
 * stages, as the caller names it) joins it. A TCR lock is exclusive. A lock whose processes have all
 * died (killed, crashed) is stale: the next run clears it and is told what it cleared.
 *
 * A killed holder may have left processes running (its commands' children, which it had no
 * chance to end). A holder that dies stays in `run.json` until the next run takes the lock:
 * that run ends them (`endLeftoverProcesses`, by the task's marker that every command run
 * with `HeldLock.tag` carries) before it starts anything, and is told what it ended.
 */

export type RunKind = 'pipeline' | 'tcr' | 'workspace';

export interface LockHolder extends ProcessRef {
  /** What the holder runs, for people (`nx run bd-1:stage-unit-test`, `factory tcr`). */
  command: string;
  /** ISO time the holder took the lock. */
  since: string;
}

export interface RunLockState {
  v: 1;
  task: string;
  kind: RunKind;
  owner: string;
  holders: LockHolder[];
  /** Counts the changes to the record (absent in records written before it was counted). */
  seq?: number;
}

export interface AcquireOptions {
  kind: RunKind;
  /** Holders of a pipeline lock with the same owner share it (default: this process). */
  owner?: string;
  command: string;
  /** How long to wait for a busy task (default 0: fail at once). */
  waitMs?: number;
  pollMs?: number;
  /** Called once when the task is busy and the call waits. */
  onWait?: (state: RunLockState) => void;
  /**
   * The lock's record as `lockRecordText` read it earlier (null: none): `HeldLock.undisturbed`
   * then says whether it is still that when this run takes the lock.
   */
  unchangedSince?: string | null;
}

export interface HeldLock {
  state: RunLockState;
  /** The lock this one replaced because all its processes had died, if any. */
  cleared?: RunLockState;
  /**
   * Processes that killed holders of this task's lock had left running, ended when this lock
   * was taken (empty in the common case). Say so: "ended N processes a killed run left: …".
   */
  ended: KilledProcess[];
  /** The task's identity for its commands: pass it as `tag` to runShellCommand/runFile. */
  tag: ProcessTag;
  /**
   * With `unchangedSince`: no run took or left the lock between that read and this run taking
   * it, without waiting, and no killed holder left processes behind. So no Factory run changed
   * the task's code meanwhile: what was learnt of it then holds now.
   */
  undisturbed?: boolean;
  release(): Promise<void>;
}

/** The task is busy with another run; the message names it. */
export class TaskBusyError extends FactoryError {
  readonly holder: RunLockState;
  constructor(slug: string, state: RunLockState, waitedMs: number) {
    const h = state.holders[0];
    const who = state.holders.map((x) => `pid ${x.pid} on ${x.host}`).join(', ');
    const waited = waitedMs >= 1000 ? ` (waited ${Math.round(waitedMs / 1000)}s)` : '';
    super(
      'BUSY',
      `task ${slug} is busy with a ${state.kind} run${waited}: ${JSON.stringify(h?.command ?? '?')} by ${who}, since ${h?.since ?? '?'}. ` +
        `Wait for it to finish, or let this run wait (--wait <seconds>, or FACTORY_LOCK_WAIT for stages). ` +
        `If that process is gone from another host, delete .factory/${slug}/.lock`,
      { file: `.factory/${slug}/.lock/run.json` },
    );
    this.name = 'TaskBusyError';
    this.holder = state;
  }
}

/**
 * The identity a task's processes carry (see process/run-tag.ts): the task's folder, so that
 * tasks with the same slug in two workspaces on one machine stay apart.
 */
export function taskProcessTag(root: string, slug: string): ProcessTag {
  let real: string;
  try {
    real = realpathSync(root);
  } catch {
    real = path.resolve(root);
  }
  return { task: path.join(real, '.factory', slug) };
}

/**
 * Lock state is written atomically but not fsynced (a few ms on every stage): after a machine
 * crash every holder is gone anyway, and a torn file reads as no lock.
 */
const NOT_DURABLE = { durable: false } as const;

function parseState(text: string | null): RunLockState | undefined {
  try {
    const s = JSON.parse(text ?? '') as RunLockState;
    return s && s.v === 1 && Array.isArray(s.holders) ? s : undefined;
  } catch {
    // Absent, or torn by a crash while written (it is written atomically, so only by hand).
    return undefined;
  }
}

const readState = (file: string) => parseState(readText(file));

function writeState(file: string, state: RunLockState, before: RunLockState | undefined): RunLockState {
  const next = { ...state, seq: (before?.seq ?? 0) + 1 };
  writeFileAtomicSync(file, `${JSON.stringify(next, null, 2)}\n`, NOT_DURABLE);
  return next;
}

async function withMutex<T>(dir: string, fn: () => T): Promise<T> {
  mkdirSync(dir, { recursive: true });
  // The record stays while the lock is free: ignored by git even where .gitignore does not say so.
  const ignore = path.join(dir, '.gitignore');
  if (!existsSync(ignore)) writeFileSync(ignore, '*\n');
  const release = await lockfile.lock(dir, {
    realpath: false,
    lockfilePath: path.join(dir, 'mutex'),
    // Held for a few milliseconds; one left by a killed process is taken over after 2 s.
    stale: 2000,
    retries: { retries: 400, minTimeout: 5, maxTimeout: 50 },
  });
  try {
    return fn();
  } finally {
    await release();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Takes the task's run lock, waiting up to `waitMs`; throws TaskBusyError when it stays busy. */
export async function acquireTaskLock(root: string, slug: string, o: AcquireOptions): Promise<HeldLock> {
  const dir = lockDir(root, slug);
  const file = path.join(dir, 'run.json');
  const me: LockHolder = { ...thisProcess(), command: o.command, since: new Date().toISOString() };
  const owner = o.owner ?? `pid:${me.pid}@${me.host}`;
  const started = Date.now();
  let told = false;
  for (;;) {
    const r = await withMutex(dir, () => {
      const text = readText(file);
      const current = parseState(text);
      const live = current?.holders.filter(isAlive) ?? [];
      const killed = live.length < (current?.holders.length ?? 0);
      const unchanged = !told && o.unchangedSince !== undefined && text === o.unchangedSince && !killed;
      if (!current || live.length === 0) {
        const state = writeState(file, { v: 1, task: slug, kind: o.kind, owner, holders: [me] }, current);
        return { state, killed, unchanged, cleared: current && current.holders.length ? current : undefined };
      }
      if (current.kind === 'pipeline' && o.kind === 'pipeline' && current.owner === owner) {
        return { state: writeState(file, { ...current, holders: [...live, me] }, current), killed, unchanged };
      }
      return { busy: { ...current, holders: live } };
    });
    if ('state' in r && r.state) {
      const tag = taskProcessTag(root, slug);
      // Our holder is recorded before the search: if this process is killed during it, the next run searches again.
      const ended = r.killed ? await endLeftoverProcesses(tag) : [];
      const held: HeldLock = { state: r.state, cleared: r.cleared, ended, tag, release: () => releaseHolder(dir, file, me) };
      return o.unchangedSince === undefined ? held : { ...held, undisturbed: r.unchanged };
    }
    const waited = Date.now() - started;
    if (waited >= (o.waitMs ?? 0)) throw new TaskBusyError(slug, r.busy as RunLockState, waited);
    if (!told) {
      o.onWait?.(r.busy as RunLockState);
      told = true;
    }
    await sleep(Math.min(o.pollMs ?? 250, Math.max(1, (o.waitMs ?? 0) - waited)));
  }
}

async function releaseHolder(dir: string, file: string, me: LockHolder): Promise<void> {
  await withMutex(dir, () => {
    const current = readState(file);
    if (!current) return;
    // Dead holders stay: the next run to take the lock ends what they left running.
    const rest = current.holders.filter((h) => !(h.pid === me.pid && h.host === me.host && h.since === me.since));
    writeState(file, { ...current, holders: rest }, current);
  });
}

/** The task's current run, if a live one holds the lock (for status displays). */
export function currentTaskRun(root: string, slug: string): RunLockState | undefined {
  const s = readState(path.join(lockDir(root, slug), 'run.json'));
  if (!s) return undefined;
  const live = s.holders.filter(isAlive);
  return live.length ? { ...s, holders: live } : undefined;
}
