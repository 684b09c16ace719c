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
  'audit_rotated',
  'beads_synced',
  'task_closed',
] as const;

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
  /**
   * Only in `.factory/audit.log`, on the copy of a task's event: that event's seq and hash in
   * the task's trail, so the two trails cross-check each other (see audit/cross-check.ts).
   */
  ref: z.object({ seq: z.number().int().min(1), hash: z.string().regex(/^[0-9a-f]{64}$/) }).optional(),
  /** The previous event's hash (GENESIS_HASH for the first). */
  prev: z.string().regex(/^[0-9a-f]{64}$/),
  /** sha256 of this event without `hash`, in canonical JSON. */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;

export { GENESIS_HASH, canonicalJson, hashEvent, chainEvent, type AuditEventInput } from './chain';
