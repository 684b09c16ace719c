import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { auditEventProblem, eventBody, GENESIS_HASH, hashEvent } from './chain';
import type { AuditEvent } from './event';
import { chainFiles } from './files';

/**
 * What is wrong with the first bad event of a chain. Within one chain: `malformed`, `edited`,
 * `removed`, `reordered`, `unanchored`. Across chains and signed statements (see
 * cross-check.ts and verify-all.ts): `deleted` (a task trail that is gone), `emptied`,
 * `truncated` (events missing from its end), `diverged` (the task trail and the workspace log,
 * or a signed anchor, disagree), `checkpoint` (the signed checkpoint does not hold).
 */
export type ChainProblemKind =
  'malformed' | 'edited' | 'removed' | 'reordered' | 'unanchored' | 'deleted' | 'emptied' | 'truncated' | 'diverged' | 'checkpoint';

export interface ChainProblem {
  kind: ChainProblemKind;
  /** The file and 1-based line of the bad event (for `removed`: where the missing events should be). */
  file: string;
  line: number;
  /** The seq of the bad event, when it could be read. */
  seq?: number;
  message: string;
}

export interface ChainReport {
  /** The live file of the chain. */
  file: string;
  /** Every file read, oldest first. */
  files: string[];
  ok: boolean;
  events: number;
  /** The last event: record it elsewhere to detect later removal of the newest events. */
  head?: { seq: number; hash: string; ts: string };
  /** The first bad event; verification stops there. */
  problem?: ChainProblem;
  /** Not failures: an incomplete last line left by a crash mid-write (set aside by the next append). */
  warnings: string[];
}

/** A line of a chain file: where it is, and its text. */
export interface ChainLine {
  file: string;
  line: number;
  text: string;
}

/** An event of a chain and where it is. */
export interface LocatedEvent {
  event: AuditEvent;
  file: string;
  line: number;
}

type Line = ChainLine;

/** A chain's files, each read once (its bytes; undefined when it cannot be read), and a digest of them. */
export interface ChainBytes {
  files: string[];
  bytes: (Buffer | undefined)[];
  /** sha256 of each file's name and bytes: what a chain report is a function of (see `verifyChainBytes`). */
  digest: string;
}

/** Reads every file of a chain (see `chainFiles`) once. */
export function readChainBytes(file: string): ChainBytes {
  const files = chainFiles(file);
  const h = createHash('sha256');
  const bytes = files.map((f) => {
    let b: Buffer | undefined;
    try {
      b = readFileSync(f);
    } catch {
      b = undefined;
    }
    h.update(`${path.basename(f)}\0${b === undefined ? '-' : b.length}\0`);
    if (b) h.update(b);
    return b;
  });
  return { files, bytes, digest: h.digest('hex') };
}

function readLines(read: ChainBytes, warnings: string[], display: (f: string) => string): Line[] {
  const out: Line[] = [];
  read.files.forEach((file, i) => {
    const bytes = read.bytes[i];
    if (bytes === undefined) return;
    const lines = bytes.toString('utf8').split('\n');
    const last = lines.pop() as string;
    if (last !== '') {
      if (i === read.files.length - 1)
        warnings.push(
          `${display(file)}:${lines.length + 1}: incomplete last line (a crash mid-write); the next append sets it aside in ${path.basename(file)}.torn`,
        );
      else lines.push(last);
    }
    lines.forEach((t, n) => out.push({ file, line: n + 1, text: t }));
  });
  return out;
}

/**
 * Verifies a hash chain across its rotated files: every event must be whole, match its own
 * hash, carry the next seq and point at the previous event's hash. Names the first bad event:
 * `edited` (its content or hash changed), `removed` (seq jumps), `reordered` (an earlier or
 * later seq in its place), `malformed` (not an event), `unanchored` (the oldest kept events do
 * not start the chain and no rotation vouches for what came before).
 */
export function verifyChain(file: string, display: (f: string) => string = (f) => f): ChainReport {
  return readChain(file, display).report;
}

/**
 * `verifyChain` of the chain's files as `readChainBytes` read them. The report depends on
 * nothing else (their names and bytes, and `display`), so it holds again for files whose
 * digest is the same.
 */
export function verifyChainBytes(file: string, read: ChainBytes, display: (f: string) => string = (f) => f): ChainReport {
  const warnings: string[] = [];
  return verifyChainLines(display(file), read.files, readLines(read, warnings, display), warnings, display).report;
}

/** `verifyChain`, also returning the events read (up to the first bad one) with where each is. */
export function readChain(file: string, display: (f: string) => string = (f) => f): { report: ChainReport; events: LocatedEvent[] } {
  const read = readChainBytes(file);
  const warnings: string[] = [];
  return verifyChainLines(display(file), read.files, readLines(read, warnings, display), warnings, display);
}

/**
 * Verifies the lines of a chain (read from files, or from an exported bundle). `files` are the
 * chain's files, oldest first; `display` says how a file is named in messages.
 */
export function verifyChainLines(
  name: string,
  files: string[],
  lines: ChainLine[],
  warnings: string[],
  display: (f: string) => string = (f) => f,
): { report: ChainReport; events: LocatedEvent[] } {
  const report: ChainReport = { file: name, files: files.map(display), ok: true, events: 0, warnings };
  const located = (): LocatedEvent[] => events.map((event, i) => ({ event, file: display(lines[i].file), line: lines[i].line }));
  const events: AuditEvent[] = [];
  const fail = (l: Line, kind: ChainProblemKind, message: string, seq?: number): { report: ChainReport; events: LocatedEvent[] } => {
    report.ok = false;
    report.problem = {
      kind,
      file: display(l.file),
      line: l.line,
      ...(seq !== undefined ? { seq } : {}),
      message: `${display(l.file)}:${l.line}: ${message}`,
    };
    return { report, events: located() };
  };

  for (const l of lines) {
    let data: unknown;
    try {
      data = JSON.parse(l.text);
    } catch (e) {
      return fail(l, 'malformed', `not an audit event (not valid JSON: ${(e as Error).message}); the line was edited`);
    }
    const why = auditEventProblem(data);
    if (why) return fail(l, 'malformed', `not an audit event (${why}); the line was edited`, (data as { seq?: number })?.seq);
    events.push(data as AuditEvent);
  }
  if (!events.length) return { report, events: [] };

  const anchor = lastAnchor(events);
  const seqs = new Set(events.map((e) => e.seq));
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    const l = lines[i];
    if (hashEvent(eventBody(e)) !== e.hash) {
      return fail(l, 'edited', `event ${e.seq} (${e.action}) was edited: its content no longer matches its hash`, e.seq);
    }
    if (i === 0) {
      const starts = e.seq === 1 && e.prev === GENESIS_HASH;
      const anchored = anchor && e.seq === anchor.seq + 1 && e.prev === anchor.hash;
      const olderThanAnchor = anchor && e.seq <= anchor.seq;
      if (!starts && !anchored && !olderThanAnchor) {
        if (anchor && e.seq > anchor.seq + 1)
          return fail(
            l,
            'removed',
            `events ${anchor.seq + 1} to ${e.seq - 1} are missing before event ${e.seq} (removed, or a rotated file was deleted)`,
            e.seq,
          );
        if (!anchor && e.seq > 1)
          return fail(
            l,
            'removed',
            `events 1 to ${e.seq - 1} are missing before event ${e.seq} (removed from the start of the chain)`,
            e.seq,
          );
        return fail(
          l,
          'unanchored',
          `event ${e.seq} starts the chain but does not point at ${anchor ? `event ${anchor.seq}, the last one rotated out` : 'the genesis hash'}; it was edited`,
          e.seq,
        );
      }
      continue;
    }
    const prev = events[i - 1];
    const expected = prev.seq + 1;
    if (e.seq !== expected) {
      if (e.seq < expected || seqs.has(expected)) {
        const later = events.findIndex((x, j) => j > i && x.seq === expected);
        const where = later >= 0 ? `; event ${expected} is at ${display(lines[later].file)}:${lines[later].line}` : '';
        return fail(l, 'reordered', `event ${e.seq} is out of order: expected event ${expected} after event ${prev.seq}${where}`, e.seq);
      }
      const gap = e.seq - 1 === expected ? `event ${expected} is` : `events ${expected} to ${e.seq - 1} are`;
      return fail(l, 'removed', `${gap} missing between event ${prev.seq} and event ${e.seq} (removed)`, e.seq);
    }
    if (e.prev !== prev.hash) {
      const pl = lines[i - 1];
      return fail(
        pl,
        'edited',
        `event ${prev.seq} (${prev.action}) was edited and re-hashed: event ${e.seq} no longer points at it`,
        prev.seq,
      );
    }
    if (anchor && prev.seq === anchor.seq && prev.hash !== anchor.hash) {
      return fail(lines[i - 1], 'edited', `event ${prev.seq} does not match the hash recorded for it at rotation; it was edited`, prev.seq);
    }
  }
  const head = events[events.length - 1];
  report.events = events.length;
  report.head = { seq: head.seq, hash: head.hash, ts: head.ts };
  return { report, events: located() };
}

/** The last event rotated out of the chain, as the newest rotation that dropped files recorded it. */
function lastAnchor(events: AuditEvent[]): { seq: number; hash: string } | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    const a = e.action === 'audit_rotated' ? (e.details?.anchor as { seq?: unknown; hash?: unknown } | undefined) : undefined;
    if (a && typeof a.seq === 'number' && typeof a.hash === 'string') return { seq: a.seq, hash: a.hash };
  }
  return undefined;
}
