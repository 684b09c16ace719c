import { closeSync, fstatSync, ftruncateSync, fsyncSync, mkdirSync, openSync, readSync, writeSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { GLOBAL_FILES, taskPaths } from '../store/paths';
import { AuditEventSchema, chainEvent, type AuditEvent, type AuditEventInput } from './event';

const TAIL_CHUNK = 64 * 1024;

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

/** Appends one event to a chained JSONL file under a lock; returns the event as written. */
export async function appendToChain(file: string, input: AuditEventInput, now: Date = new Date()): Promise<AuditEvent> {
  mkdirSync(path.dirname(file), { recursive: true });
  closeSync(openSync(file, 'a'));
  const release = await lockfile.lock(file, { realpath: false, stale: 10_000, retries: { retries: 50, minTimeout: 20, maxTimeout: 200 } });
  try {
    const fd = openSync(file, 'r+');
    try {
      const line = lastLineRepairing(fd, file);
      let last: AuditEvent | undefined;
      if (line !== undefined) {
        const parsed = AuditEventSchema.safeParse(JSON.parse(line));
        if (!parsed.success) throw new Error(`${file}: the last event is not a valid audit event; run "factory audit verify"`);
        last = parsed.data;
      }
      const event = chainEvent(input, last, now);
      const size = fstatSync(fd).size;
      // One write of the whole line: a crash leaves the line whole or torn, and a torn line is
      // cut off (and kept) by the next append.
      writeSync(fd, `${JSON.stringify(event)}\n`, size);
      fsyncSync(fd);
      return event;
    } finally {
      closeSync(fd);
    }
  } finally {
    await release();
  }
}

/**
 * Records an event in the task's `.factory/<slug>/audit.jsonl` (when it concerns a task) and
 * in the workspace-wide `.factory/audit.log`, each a hash chain of its own.
 */
export async function appendAuditEvent(root: string, input: AuditEventInput, now: Date = new Date()): Promise<AuditEvent> {
  const own = input.task === null ? undefined : path.join(root, taskPaths(input.task).audit);
  const [global, task] = await Promise.all([
    appendToChain(path.join(root, GLOBAL_FILES.auditLog), input, now),
    own === undefined ? undefined : appendToChain(own, input, now),
  ]);
  return task ?? global;
}
