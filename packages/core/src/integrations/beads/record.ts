import { z } from 'zod';

/**
 * Statuses current Beads knows (`internal/types/types.go` of steveyegge/beads: open, in_progress,
 * blocked, deferred, closed, pinned, hooked) plus `tombstone`, the soft-deleted status of older
 * exports. Beads also accepts custom statuses (`bd config set status.custom …`), so a record
 * with another status is kept, never rejected.
 */
export const BEADS_STATUSES = ['open', 'in_progress', 'blocked', 'deferred', 'closed', 'pinned', 'hooked', 'tombstone'] as const;
export const BeadsKnownStatusSchema = z.enum(BEADS_STATUSES);
export type BeadsKnownStatus = z.infer<typeof BeadsKnownStatusSchema>;

export function isKnownBeadsStatus(status: string): status is BeadsKnownStatus {
  return (BEADS_STATUSES as readonly string[]).includes(status);
}

/**
 * One edge of the export: `issue_id` depends on `depends_on_id`. Types seen in real exports:
 * blocks, parent-child (issue_id is the child), discovered-from, tracks; Beads accepts custom
 * types, so `type` is any string.
 */
export const BeadsDependencySchema = z.looseObject({
  issue_id: z.string().min(1),
  depends_on_id: z.string().min(1),
  type: z.string(),
  created_at: z.string().optional(),
  created_by: z.string().optional(),
  /** A JSON document stored as a string (`"{}"`) in real exports. */
  metadata: z.unknown().optional(),
});
export type BeadsDependency = z.infer<typeof BeadsDependencySchema>;

/**
 * A Beads issue as `bd export` writes it to `issues.jsonl` (one per line). Lenient: Beads adds
 * fields often (ephemeral, agent_state, hook_bead, …), so unknown fields pass through.
 */
export const BeadsIssueSchema = z.looseObject({
  id: z.string().min(1),
  title: z.string().min(1),
  status: z.string().min(1),
  /** 0 = critical … 4 = backlog. */
  priority: z.int().min(0).max(4),
  issue_type: z.string().min(1),
  created_at: z.string().min(1),
  updated_at: z.string().min(1),
  description: z.string().optional(),
  design: z.string().optional(),
  acceptance_criteria: z.string().optional(),
  notes: z.string().optional(),
  assignee: z.string().optional(),
  owner: z.string().optional(),
  created_by: z.string().optional(),
  labels: z.array(z.string()).optional(),
  dependencies: z.array(BeadsDependencySchema).optional(),
  /** The parent's id; newer exports write it beside the `parent-child` dependency it comes from. */
  parent: z.string().optional(),
  closed_at: z.string().optional(),
  close_reason: z.string().optional(),
  dependency_count: z.int().optional(),
  dependent_count: z.int().optional(),
  comment_count: z.int().optional(),
});
export type BeadsIssue = z.infer<typeof BeadsIssueSchema>;

/**
 * The issue's parent: its `parent` field, else the first `parent-child` dependency it has (the
 * rule `bd show` uses). Dots in ids say nothing reliable about hierarchy.
 */
export function parentOf(issue: BeadsIssue): string | undefined {
  if (issue.parent) return issue.parent;
  const edge = (issue.dependencies ?? []).find((d) => d.type === 'parent-child' && d.issue_id === issue.id);
  return edge?.depends_on_id;
}
