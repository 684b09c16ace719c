import { canonicalJson } from './chain';
import type { AuditEvent } from './event';
import type { ChainProblem, LocatedEvent } from './verify';

/** What a task's trail and the workspace log say about one task (read and chain-verified already). */
export interface CrossCheckInput {
  task: string;
  /** The task trail's live file as shown in messages (`.factory/<slug>/audit.jsonl`). */
  trailFile: string;
  trailExists: boolean;
  /** The task trail's events, oldest first. */
  trail: readonly LocatedEvent[];
  /** The workspace log's events of this task, oldest first. */
  log: readonly LocatedEvent[];
  /** The workspace log's first kept event (undefined: the log is empty). */
  logFirst?: AuditEvent;
}

/** What an event says, without its place in a chain: equal for a task event and its workspace-log copy. */
const content = (e: AuditEvent): string =>
  canonicalJson({ ts: e.ts, actor: e.actor, task: e.task, action: e.action, outcome: e.outcome, details: e.details ?? null });

const at = (l: LocatedEvent) => `${l.file}:${l.line}`;

/**
 * Cross-checks a task's trail with the workspace log (pure): every task event must be in the
 * log with the same hash (the log's copy carries it as `ref`) and the same content, and every
 * copy in the log must be in the trail. Events older than what a rotation kept on either side
 * are not compared. Returns the first disagreement: `deleted`, `emptied` or `truncated` when
 * the log holds events the trail has lost, `diverged` when an event differs or is on one side
 * only; except that the trail's very last event missing from the log is a warning: that is what
 * a crash between the two writes leaves (and a copy in the log proves nothing about who wrote
 * an event anyway: only signatures do).
 */
export function crossCheckTask(i: CrossCheckInput): { problem?: ChainProblem; warnings: string[] } {
  const warnings: string[] = [];
  const problem = firstDisagreement(i, warnings);
  return { ...(problem ? { problem } : {}), warnings };
}

function firstDisagreement(i: CrossCheckInput, warnings: string[]): ChainProblem | undefined {
  const trail = i.trail.filter((t) => t.event.action !== 'audit_rotated');
  const bySeq = new Map(trail.map((t) => [t.event.seq, t]));
  const byContent = new Map(trail.map((t) => [content(t.event), t]));
  const trailHead = i.trail.at(-1)?.event.seq ?? 0;
  // A trail whose oldest files were rotated away starts after event 1.
  const trailFirst = i.trail[0]?.event.seq ?? 1;
  const logComplete = !i.logFirst || i.logFirst.seq === 1;
  const problem = (kind: ChainProblem['kind'], where: { file: string; line: number }, message: string, seq?: number): ChainProblem => ({
    kind,
    file: where.file,
    line: where.line,
    ...(seq !== undefined ? { seq } : {}),
    message: `${where.file}${where.line ? `:${where.line}` : ''}: ${message}`,
  });

  const refs = i.log.filter((l) => l.event.ref);
  const lost = refs.filter((l) => !bySeq.has((l.event.ref as { seq: number }).seq) && (l.event.ref as { seq: number }).seq >= trailFirst);
  if (lost.length) {
    const first = lost[0];
    const seqs = lost.map((l) => (l.event.ref as { seq: number }).seq);
    const n = `${lost.length} event${lost.length === 1 ? '' : 's'} of task ${i.task}`;
    if (!i.trailExists)
      return problem(
        'deleted',
        { file: i.trailFile, line: 0 },
        `the task trail is missing, but the workspace log holds ${n} (the first at ${at(first)}): the trail was deleted`,
      );
    if (!i.trail.length)
      return problem(
        'emptied',
        { file: i.trailFile, line: 0 },
        `the task trail is empty, but the workspace log holds ${n} (the first at ${at(first)}): the trail was emptied`,
      );
    const min = Math.min(...seqs);
    const max = Math.max(...seqs);
    if (min > trailHead)
      return problem(
        'truncated',
        { file: i.trailFile, line: trail.at(-1)?.line ?? 0 },
        `${min === max ? `event ${min} is` : `events ${min} to ${max} are`} in the workspace log (${at(first)}) but missing from the end of the task trail, which ends at event ${trailHead}: removed (or lost in a crash between the two writes)`,
        min,
      );
    return problem(
      'diverged',
      { file: first.file, line: first.line },
      `the workspace log records event ${min} of task ${i.task}, which the task trail does not have`,
      min,
    );
  }
  for (const l of refs) {
    const ref = l.event.ref as { seq: number; hash: string };
    const t = bySeq.get(ref.seq);
    if (!t) continue; // rotated out of the trail
    if (t.event.hash !== ref.hash)
      return problem(
        'diverged',
        { file: t.file, line: t.line },
        `event ${ref.seq} (${t.event.action}) is not the event the workspace log recorded at ${at(l)}: the task trail was rewritten from event ${ref.seq} and its chain recomputed`,
        ref.seq,
      );
    if (content(t.event) !== content(l.event))
      return problem(
        'diverged',
        { file: l.file, line: l.line },
        `the workspace log's copy of event ${ref.seq} of task ${i.task} differs from the task trail's (${at(t)}): one of them was edited`,
        ref.seq,
      );
  }
  const logged = new Set(refs.map((l) => (l.event.ref as { seq: number }).seq));
  // A copy without `ref` (written before refs existed) matches by content.
  for (const l of i.log) if (!l.event.ref) logged.add(byContent.get(content(l.event))?.event.seq ?? -1);
  const minLogged = Math.min(...[...logged].filter((s) => s > 0));
  for (const t of trail) {
    if (logged.has(t.event.seq)) continue;
    const olderThanLog =
      !logComplete && (Number.isFinite(minLogged) ? t.event.seq < minLogged : !!i.logFirst && t.event.ts <= i.logFirst.ts);
    if (olderThanLog) continue;
    if (t === trail.at(-1) && t === i.trail.at(-1)) {
      // What a crash between the two writes leaves; the task's next event writes the copy first.
      warnings.push(
        `${at(t)}: event ${t.event.seq} (${t.event.action}), the last of task ${i.task}, is not in the workspace log yet (a crash between the two writes; the task's next event adds it), or it was removed from there`,
      );
      continue;
    }
    return problem(
      'diverged',
      { file: t.file, line: t.line },
      `event ${t.event.seq} (${t.event.action}) of task ${i.task} is not in the workspace log .factory/audit.log: it was removed from there, or written into the task trail by hand`,
      t.event.seq,
    );
  }
  for (const l of i.log)
    if (!l.event.ref && !byContent.has(content(l.event)) && trailFirst === 1)
      return problem(
        'diverged',
        { file: l.file, line: l.line },
        `the workspace log holds an event of task ${i.task} (${l.event.action}) that its trail does not have`,
      );
  return undefined;
}
