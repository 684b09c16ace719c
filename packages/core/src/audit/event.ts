import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * The seed's AuditEvent kinds, plus stage, TCR, rollout and LLM events. `action` is open
 * (a later module may add its own), these are the ones Factory writes.
 */
export const AUDIT_ACTIONS = [
  'task_created',
  'workspace_created',
  'workspace_deleted',
  'workspace_restored',
  'status_changed',
  'stage_completed',
  'tcr_committed',
  'tcr_reverted',
  'tcr_restored',
  'tcr_cycle',
  'approval_requested',
  'approval_refused',
  'approved_by_human',
  'deployment_started',
  'deployment_step',
  'deployment_completed',
  'deployment_rolled_back',
  'llm_call',
  'change_order',
  'rescue',
  'review',
] as const;

/** The hash the first event of a chain points back to. */
export const GENESIS_HASH = '0'.repeat(64);

/** One line of `audit.jsonl` / `audit.log`. Lenient on read: fields are only ever added. */
export const AuditEventSchema = z.object({
  v: z.literal(1),
  /** Position in its file's chain, from 1. */
  seq: z.number().int().min(1),
  ts: z.string(),
  actor: z.string(),
  /** The task, or null for a workspace-wide event. */
  task: z.string().nullable(),
  action: z.string().min(1),
  outcome: z.string().min(1),
  details: z.record(z.string(), z.unknown()).optional(),
  /** The previous event's hash (GENESIS_HASH for the first). */
  prev: z.string().regex(/^[0-9a-f]{64}$/),
  /** sha256 of this event without `hash`, in canonical JSON. */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;

/** What a caller records; the chain fields are filled in on append. */
export interface AuditEventInput {
  task: string | null;
  actor: string;
  action: string;
  outcome: string;
  details?: Record<string, unknown>;
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
    prev: last?.hash ?? GENESIS_HASH,
  };
  return { ...body, hash: hashEvent(body) };
}
