import { isAuditEvent, type AuditEventInput } from './chain';
import type { AuditEvent } from './event';
import { findLastLine, lastCompleteLine } from './files';

function parse(line: string | undefined): AuditEvent | undefined {
  if (line === undefined) return undefined;
  try {
    const e: unknown = JSON.parse(line);
    return isAuditEvent(e) ? e : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The copy the workspace log lacks when a crash came between a task event and its copy: the
 * task trail's last event, when the log's last copy of this task is of the event just before it
 * (or there is none, for a first event). Anything else (the copy is there, or the trail and the
 * log disagree further back) is left alone, for `factory audit verify` to name. Call it under
 * the task trail's lock. Reads the log backwards only as far as its last event of this task.
 */
export function unloggedHead(trailFile: string, logFile: string, slug: string): { input: AuditEventInput; ts: Date } | undefined {
  const head = parse(lastCompleteLine(trailFile));
  if (!head || head.action === 'audit_rotated') return undefined;
  const needle = `"task":${JSON.stringify(slug)}`;
  const copy = parse(
    findLastLine(logFile, (l) => {
      if (!l.includes(needle) || !l.includes('"ref":')) return false;
      const e = parse(l);
      return e?.task === slug && e.ref !== undefined;
    }),
  );
  const before = copy?.ref;
  const missing = before ? before.seq === head.seq - 1 && before.hash === head.prev : head.seq === 1;
  if (!missing) return undefined;
  const { task, actor, action, outcome, details } = head;
  return {
    input: { task, actor, action, outcome, ...(details ? { details } : {}), ref: { seq: head.seq, hash: head.hash } },
    ts: new Date(head.ts),
  };
}
