import { createHash } from 'node:crypto';
import type { AuditEvent } from './event';

/**
 * The hash chain of an audit file, without zod: the bundled stage runner appends events and
 * must not load zod (the runner's bundle leaves it out).
 */

/** The hash the first event of a chain points back to. */
export const GENESIS_HASH = '0'.repeat(64);

/** What a caller records; the chain fields are filled in on append. */
export interface AuditEventInput {
  task: string | null;
  actor: string;
  action: string;
  outcome: string;
  details?: Record<string, unknown>;
  /** Set by `appendAuditEvent` on the workspace log's copy of a task event: that event's seq and hash. */
  ref?: { seq: number; hash: string };
}

/** JSON with object keys sorted at every depth, so that a hash does not depend on key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export function hashEvent(event: Omit<AuditEvent, 'hash'>): string {
  return createHash('sha256').update(canonicalJson(event)).digest('hex');
}

/** The event without its `hash`: what the hash covers. */
export function eventBody(event: AuditEvent): Omit<AuditEvent, 'hash'> {
  const { hash: _hash, ...body } = event;
  return body;
}

/** The next event of a chain whose last event is `last` (undefined: the chain is empty). */
export function chainEvent(input: AuditEventInput, last: Pick<AuditEvent, 'seq' | 'hash'> | undefined, ts: Date): AuditEvent {
  const body: Omit<AuditEvent, 'hash'> = {
    v: 1,
    seq: (last?.seq ?? 0) + 1,
    ts: ts.toISOString(),
    actor: input.actor,
    task: input.task,
    action: input.action,
    outcome: input.outcome,
    ...(input.details && Object.keys(input.details).length ? { details: input.details } : {}),
    ...(input.ref ? { ref: { seq: input.ref.seq, hash: input.ref.hash } } : {}),
    prev: last?.hash ?? GENESIS_HASH,
  };
  return { ...body, hash: hashEvent(body) };
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Why `value` is not an audit event (the same rules as `AuditEventSchema`), or undefined when
 * it is one. Hand-written so that reading a chain needs no zod.
 */
export function auditEventProblem(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'expected a JSON object';
  const e = value as Record<string, unknown>;
  if (e.v !== 1) return `v: expected 1, got ${JSON.stringify(e.v)}`;
  if (typeof e.seq !== 'number' || !Number.isInteger(e.seq) || e.seq < 1)
    return `seq: expected a whole number from 1, got ${JSON.stringify(e.seq)}`;
  if (typeof e.ts !== 'string') return 'ts: expected a timestamp';
  if (typeof e.actor !== 'string') return 'actor: expected a string';
  if (e.task !== null && typeof e.task !== 'string') return 'task: expected a slug or null';
  if (typeof e.action !== 'string' || !e.action) return 'action: expected a non-empty string';
  if (typeof e.outcome !== 'string' || !e.outcome) return 'outcome: expected a non-empty string';
  if (e.details !== undefined && (!e.details || typeof e.details !== 'object' || Array.isArray(e.details)))
    return 'details: expected an object';
  if (e.ref !== undefined) {
    const r = e.ref as Record<string, unknown> | null;
    if (
      !r ||
      typeof r !== 'object' ||
      typeof r.seq !== 'number' ||
      !Number.isInteger(r.seq) ||
      r.seq < 1 ||
      typeof r.hash !== 'string' ||
      !HEX64.test(r.hash)
    )
      return 'ref: expected { seq, hash } of the task event it copies';
  }
  if (typeof e.prev !== 'string' || !HEX64.test(e.prev)) return 'prev: expected 64 hex digits';
  if (typeof e.hash !== 'string' || !HEX64.test(e.hash)) return 'hash: expected 64 hex digits';
  return undefined;
}

export function isAuditEvent(value: unknown): value is AuditEvent {
  return auditEventProblem(value) === undefined;
}
