import { z } from 'zod';
import { err, FactoryError, ok, type Result } from '../../domain/errors';
import { describeValue, zodProblems } from '../../domain/zod-problems';
import type { TaskStatus } from '../../domain/task';
import { BeadsDependencySchema, BeadsIssueSchema, type BeadsIssue, type BeadsKnownStatus } from './record';

/**
 * Pure knowledge of the `bd` CLI (steveyegge/beads, cmd/bd): the argument arrays Factory runs
 * (never a shell string) and how to read what bd prints. Long flags use the `--name=value` form
 * so that a value beginning with `-` can never be read as a flag.
 */
export const BD = 'bd';

// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A Beads id must be one argument bd cannot mistake for a flag: non-empty, no whitespace, no leading `-`. */
export function validateBeadsId(id: unknown): Result<string> {
  const expected = 'expected a Beads issue id such as "bd-a1b2"';
  if (typeof id !== 'string' || id.length === 0) return err(`${expected}, got ${describeValue(id)}`);
  if (/\s/.test(id)) return err(`${expected} without whitespace, got ${JSON.stringify(id)}`);
  if (id.startsWith('-')) return err(`${expected} not starting with "-" (bd would read it as a flag), got ${JSON.stringify(id)}`);
  if (CONTROL.test(id)) return err(`${expected} without control characters, got ${JSON.stringify(id)}`);
  return ok(id);
}

/** The id, or a FactoryError `BEADS_INVALID_ID` saying what is wrong with it. */
export function requireBeadsId(id: unknown): string {
  const r = validateBeadsId(id);
  if (!r.ok) throw new FactoryError('BEADS_INVALID_ID', r.error, { field: 'beads_id' });
  return r.value;
}

function requireToken(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0 || /\s/.test(value) || value.startsWith('-') || CONTROL.test(value)) {
    throw new FactoryError(
      'BEADS_INVALID_ARGUMENT',
      `${what}: expected one word such as "in_progress" (no whitespace, no leading "-"), got ${describeValue(value)}`,
    );
  }
  return value;
}

function requireText(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.includes('\u0000')) {
    throw new FactoryError(
      'BEADS_INVALID_ARGUMENT',
      `${what}: expected non-empty text without NUL characters, got ${describeValue(value)}`,
    );
  }
  return value;
}

/** `bd show <id> --json`: prints a JSON array of issue details (see {@link parseBdShowJson}). */
export function bdShowArgs(id: string): string[] {
  return ['show', requireBeadsId(id), '--json'];
}

/** `bd update <id> --status=<status> [--append-notes=<note>] --json`. */
export function bdUpdateStatusArgs(id: string, beadsStatus: string, note?: string): string[] {
  const args = ['update', requireBeadsId(id), `--status=${requireToken(beadsStatus, 'Beads status')}`];
  if (note !== undefined) args.push(`--append-notes=${requireText(note, 'note')}`);
  args.push('--json');
  return args;
}

/** `bd close <id> --reason=<reason> --json` (bd's own default reason is "Closed"; Factory always gives one). */
export function bdCloseArgs(id: string, reason: string): string[] {
  return ['close', requireBeadsId(id), `--reason=${requireText(reason, 'close reason')}`, '--json'];
}

/** The line recorded in the issue's notes for a workspace. */
export function workspaceNote(workspacePath: string): string {
  return `Factory workspace: ${requireText(workspacePath, 'workspace path')}`;
}

/**
 * `bd update <id> --append-notes=<line> --json`: `--append-notes` adds a line to the existing
 * notes (`--notes` would replace them).
 */
export function bdLinkWorkspaceArgs(id: string, workspacePath: string): string[] {
  return ['update', requireBeadsId(id), `--append-notes=${workspaceNote(workspacePath)}`, '--json'];
}

/** What a Factory task status becomes in Beads. */
export interface BeadsStatusPlan {
  status: BeadsKnownStatus;
  /** Appended to the issue's notes, with the task's reason when there is one. */
  note?: string;
}

/**
 * Factory's lifecycle is finer than Beads'. Not started → `open` (Beads computes "ready" itself
 * from open issues without blockers). Every state in which Factory is working, waiting for
 * review or rolling out → `in_progress`: the issue is claimed and not finished. `done` →
 * `closed`, through `bd close` so bd records the reason and closing time. `failed` and
 * `reverted` → `open` with a note saying why: the work is not done and a person must look, and
 * `open` puts it back in `bd ready` (`bd update --status=open` also reopens a closed issue).
 */
export const TASK_STATUS_TO_BEADS: Record<TaskStatus, BeadsStatusPlan> = {
  created: { status: 'open' },
  ready: { status: 'open' },
  in_progress: { status: 'in_progress' },
  ready_for_review: { status: 'in_progress' },
  review_approved: { status: 'in_progress' },
  deploying: { status: 'in_progress' },
  deployed_to_staging: { status: 'in_progress' },
  deployed_to_production: { status: 'in_progress' },
  done: { status: 'closed' },
  failed: { status: 'open', note: 'Factory: task failed' },
  reverted: { status: 'open', note: 'Factory: task reverted' },
};

export function mapTaskStatusToBeads(status: TaskStatus): BeadsStatusPlan {
  const plan = TASK_STATUS_TO_BEADS[status];
  if (!plan) throw new FactoryError('BEADS_INVALID_ARGUMENT', `task status: expected a Factory task status, got ${describeValue(status)}`);
  return plan;
}

/** Reason given to `bd close` when a task is done and no reason was passed. */
export const DONE_REASON = 'Done: completed by Factory';

/** The one bd command that brings the issue to the Beads status of `taskStatus`. */
export function bdSyncStatusArgs(id: string, taskStatus: TaskStatus, reason?: string): string[] {
  const plan = mapTaskStatusToBeads(taskStatus);
  if (plan.status === 'closed') return bdCloseArgs(id, reason ?? DONE_REASON);
  const note = plan.note && (reason ? `${plan.note}: ${reason}` : plan.note);
  return bdUpdateStatusArgs(id, plan.status, note);
}

/** In `bd show --json`, dependencies and dependents are whole issues plus `dependency_type`. */
const BdShowRelatedSchema = z.looseObject({ id: z.string().min(1), dependency_type: z.string().optional() });

/** One element of `bd show --json` (Go `types.IssueDetails`): the issue plus labels, edges, comments, parent. */
export const BdShowIssueSchema = BeadsIssueSchema.extend({
  dependencies: z.array(z.union([BeadsDependencySchema, BdShowRelatedSchema])).optional(),
  dependents: z.array(BdShowRelatedSchema).optional(),
  comments: z.array(z.looseObject({})).optional(),
});
export type BdShowIssue = z.infer<typeof BdShowIssueSchema>;

/**
 * Parses bd's JSON. bd sources announce a v2.0 format, opt-in today with `BD_JSON_ENVELOPE=1`,
 * that wraps the payload as `{ "schema_version": 1, "data": … }`; the payload is unwrapped.
 */
function parseJson(stdout: string, command: string): Result<unknown> {
  try {
    const data: unknown = JSON.parse(stdout);
    const isEnvelope = typeof data === 'object' && data !== null && !Array.isArray(data) && 'schema_version' in data && 'data' in data;
    return ok(isEnvelope ? (data as { data: unknown }).data : data);
  } catch (e) {
    const firstLine = stdout.trim().split('\n')[0].slice(0, 120);
    return err(`${command} printed output that is not JSON (${e instanceof Error ? e.message : String(e)}): ${JSON.stringify(firstLine)}`);
  }
}

/** Dependencies in the export's edge shape, so one BeadsIssue type serves both sources. */
function toBeadsIssue(details: BdShowIssue): Result<BeadsIssue> {
  const edges = details.dependencies?.map((d) =>
    'depends_on_id' in d && typeof d.depends_on_id === 'string'
      ? d
      : { issue_id: details.id, depends_on_id: d.id as string, type: (d.dependency_type as string | undefined) ?? '' },
  );
  const r = BeadsIssueSchema.safeParse({ ...details, ...(edges ? { dependencies: edges } : {}) });
  return r.success ? ok(r.data) : err(`bd show: ${r.error.message}`);
}

/**
 * Reads `bd show <id> --json`. bd prints an array (one element per id asked for); an object is
 * accepted too. `ok(undefined)` when it printed no issue: for an unknown id bd writes
 * "Issue <id> not found" to stderr and nothing to stdout. When the element's id differs (bd
 * resolved a partial id) and it is the only one, it is taken.
 */
export function parseBdShowJson(stdout: string, id: string): Result<BeadsIssue | undefined> {
  if (stdout.trim() === '') return ok(undefined);
  const json = parseJson(stdout, 'bd show --json');
  if (!json.ok) return json;
  const data = json.value;
  if (data === null) return ok(undefined);
  const entries = Array.isArray(data) ? data : [data];
  if (entries.some((e) => typeof e !== 'object' || e === null || Array.isArray(e))) {
    return err(`bd show --json: expected a list of issues, got ${describeValue(data)}`);
  }
  const objects = entries as Record<string, unknown>[];
  const entry = objects.find((e) => e.id === id) ?? (objects.length === 1 ? objects[0] : undefined);
  if (entry === undefined) return ok(undefined);
  const parsed = BdShowIssueSchema.safeParse(entry, { reportInput: true });
  if (!parsed.success) {
    const fields = zodProblems('bd show --json', parsed.error).map((p) => `${p.field}: ${p.message}`);
    return err(`bd show --json: the issue "${String(entry.id)}" is not a Beads issue: ${fields.join('; ')}`);
  }
  return toBeadsIssue(parsed.data);
}

/**
 * The ids `bd update … --json` or `bd close … --json` reports as changed (an array of issues;
 * `{ closed: [...] }` with `--continue`). Empty when bd printed nothing: bd exits 0 and only
 * writes to stderr when an issue is missing, pinned or blocked.
 */
export function parseBdChangedIds(stdout: string, command: string): Result<string[]> {
  if (stdout.trim() === '') return ok([]);
  const json = parseJson(stdout, command);
  if (!json.ok) return json;
  const data = json.value as unknown;
  const list = Array.isArray(data)
    ? data
    : data && typeof data === 'object' && Array.isArray((data as { closed?: unknown }).closed)
      ? (data as { closed: unknown[] }).closed
      : data && typeof data === 'object'
        ? [data]
        : [];
  return ok(
    list.flatMap((e) => (e && typeof e === 'object' && typeof (e as { id?: unknown }).id === 'string' ? [(e as { id: string }).id] : [])),
  );
}
