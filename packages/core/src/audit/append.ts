import { appendFileSync, closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { GLOBAL_FILES, taskPaths } from '../store/paths';
import { withFileLock } from '../store/lock';
import { chainEvent, isAuditEvent, type AuditEventInput } from './chain';
import type { AuditEvent } from './event';
import { lastCompleteLine, rotatedFiles } from './files';
import { unloggedHead } from './log-copy';

const TAIL_CHUNK = 64 * 1024;

/** The Go seed's rotation: at 10 MB, keeping 5 files (the live one and 4 rotated). */
export const AUDIT_MAX_BYTES = 10 * 1024 * 1024;
export const AUDIT_KEEP_FILES = 5;

export interface AppendOptions {
  now?: Date;
  /** Rotate when an append would make the live file larger than this. */
  maxBytes?: number;
  /** Files kept in all, the live one included (at least 2). */
  keep?: number;
  /** The `task` of the `audit_rotated` events this file gets (null for the workspace log). */
  chainTask?: string | null;
}

function readRange(fd: number, from: number, to: number): Buffer {
  const buf = Buffer.alloc(to - from);
  readSync(fd, buf, 0, buf.length, from);
  return buf;
}

/** The offset of the last newline before `end`, or -1. Reads backwards in chunks. */
function lastNewlineBefore(fd: number, end: number): number {
  let to = end;
  while (to > 0) {
    const from = Math.max(0, to - TAIL_CHUNK);
    const i = readRange(fd, from, to).lastIndexOf(0x0a);
    if (i >= 0) return from + i;
    to = from;
  }
  return -1;
}

/**
 * Reads the last complete line of an open file and cuts off a torn tail (a line without its
 * newline, left by a crash mid-write), saving the cut bytes beside the file in `<file>.torn`
 * so nothing is lost. Returns the last complete line, or undefined for an empty file.
 */
function lastLineRepairing(fd: number, file: string): string | undefined {
  let size = fstatSync(fd).size;
  if (size === 0) return undefined;
  if (readRange(fd, size - 1, size)[0] !== 0x0a) {
    const cut = lastNewlineBefore(fd, size) + 1;
    appendFileSync(`${file}.torn`, readRange(fd, cut, size));
    ftruncateSync(fd, cut);
    size = cut;
    if (size === 0) return undefined;
  }
  const start = lastNewlineBefore(fd, size - 1) + 1;
  return readRange(fd, start, size - 1).toString('utf8');
}

function parseLast(line: string | undefined, file: string): AuditEvent | undefined {
  if (line === undefined) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch {
    data = undefined;
  }
  if (!isAuditEvent(data)) throw new Error(`${file}: the last event is not a valid audit event; run "factory audit verify"`);
  return data;
}

function writeLine(fd: number, event: AuditEvent): void {
  // One write of the whole line: a crash leaves the line whole or torn, and a torn line is
  // cut off (and kept) by the next append.
  writeSync(fd, `${JSON.stringify(event)}\n`, fstatSync(fd).size);
  fsyncSync(fd);
}

interface RotationPlan {
  rotated_to: string;
  dropped: string[];
  anchor?: { seq: number; hash: string };
}

/** What rotating now means: the live file's next name, the oldest files to drop, the anchor. */
function planRotation(file: string, keep: number): RotationPlan {
  const rotated = rotatedFiles(file);
  const next = (rotated.at(-1)?.n ?? 0) + 1;
  const after = [...rotated.map((r) => r.file), `${file}.${next}`];
  const dropped = after.slice(0, Math.max(0, after.length - (keep - 1)));
  const newestDropped = dropped.at(-1);
  let anchor: RotationPlan['anchor'];
  if (newestDropped) {
    try {
      const e = parseLast(lastCompleteLine(newestDropped), newestDropped);
      if (e) anchor = { seq: e.seq, hash: e.hash };
    } catch {
      anchor = undefined;
    }
  }
  return { rotated_to: path.basename(`${file}.${next}`), dropped: dropped.map((d) => path.basename(d)), ...(anchor ? { anchor } : {}) };
}

/** Carries out a rotation recorded in `event` (idempotent: a crash part-way is finished next time). */
function finishRotation(file: string, plan: RotationPlan): void {
  const dir = path.dirname(file);
  const target = path.join(dir, plan.rotated_to);
  const live = (() => {
    try {
      return openSync(file, 'r');
    } catch {
      return undefined;
    }
  })();
  if (live !== undefined) {
    const size = fstatSync(live).size;
    closeSync(live);
    if (size > 0) renameSync(file, target);
  }
  for (const d of plan.dropped) rmSync(path.join(dir, d), { force: true });
}

const isRotation = (e: AuditEvent | undefined): e is AuditEvent & { details: RotationPlan } =>
  e?.action === 'audit_rotated' && typeof e.details?.rotated_to === 'string' && Array.isArray(e.details?.dropped);

/**
 * Appends one event to a chained JSONL file under a lock; returns the event as written. When
 * the file would pass `maxBytes`, it first ends the file with an `audit_rotated` event (which
 * names the oldest files dropped and the last event they held, so the chain still verifies
 * without them), renames it to `<file>.<n>`, and starts the live file afresh, chained on.
 */
export async function appendToChain(file: string, input: AuditEventInput, options: AppendOptions | Date = {}): Promise<AuditEvent> {
  const o: AppendOptions = options instanceof Date ? { now: options } : options;
  return withFileLock(file, () => appendLocked(file, input, o));
}

/** `appendToChain`'s work, for a caller that holds the file's lock already. */
function appendLocked(file: string, input: AuditEventInput, o: AppendOptions): AuditEvent {
  const now = o.now ?? new Date();
  const maxBytes = o.maxBytes ?? AUDIT_MAX_BYTES;
  const keep = Math.max(2, o.keep ?? AUDIT_KEEP_FILES);
  let fd = openSync(file, 'r+');
  try {
    let last = parseLast(lastLineRepairing(fd, file), file);
    let size = fstatSync(fd).size;
    if (last === undefined) {
      // A fresh live file: chain on from the newest rotated file, finishing its rotation.
      const newest = rotatedFiles(file).at(-1);
      if (newest) {
        last = parseLast(lastCompleteLine(newest.file), newest.file);
        if (isRotation(last)) finishRotation(file, last.details);
      }
    }
    let event = chainEvent(input, last, now);
    if (size > 0 && (isRotation(last) || size + JSON.stringify(event).length + 1 > maxBytes)) {
      if (!isRotation(last)) {
        const plan = planRotation(file, keep);
        last = chainEvent(
          { task: o.chainTask ?? null, actor: 'factory', action: 'audit_rotated', outcome: 'success', details: { ...plan } },
          last,
          now,
        );
        writeLine(fd, last);
      }
      closeSync(fd);
      fd = -1;
      finishRotation(file, (last as AuditEvent & { details: RotationPlan }).details);
      fd = openSync(file, 'a+');
      size = 0;
      event = chainEvent(input, last, now);
    }
    writeLine(fd, event);
    return event;
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

/**
 * Records an event in the task's `.factory/<slug>/audit.jsonl` (when it concerns a task) and
 * in the workspace-wide `.factory/audit.log`, each a hash chain of its own. The task's trail is
 * written first; the workspace log's copy then carries `ref` (the task event's seq and hash),
 * so that each trail vouches for the other: an event removed from, or rewritten in, one of them
 * is named by `factory audit verify`. Both writes happen under the task trail's lock; a crash
 * between them leaves the trail's last event without its copy, which the next event of the
 * task writes first (see `copyUnloggedHead`).
 */
export async function appendAuditEvent(
  root: string,
  input: AuditEventInput,
  options: Omit<AppendOptions, 'chainTask'> | Date = {},
): Promise<AuditEvent> {
  const o = options instanceof Date ? { now: options } : options;
  const { ref: _ignored, ...event } = input;
  const own = event.task === null ? undefined : path.join(root, taskPaths(event.task).audit);
  const now = o.now ?? new Date();
  const log = path.join(root, GLOBAL_FILES.auditLog);
  if (own === undefined) return appendToChain(log, event, { ...o, now, chainTask: null });
  return withFileLock(own, async () => {
    const lost = unloggedHead(own, log, event.task as string);
    if (lost) await appendToChain(log, lost.input, { ...o, now: lost.ts, chainTask: null });
    const task = appendLocked(own, event, { ...o, now, chainTask: event.task });
    await appendToChain(log, { ...event, ref: { seq: task.seq, hash: task.hash } }, { ...o, now, chainTask: null });
    return task;
  });
}
