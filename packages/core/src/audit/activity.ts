import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { taskPaths } from '../store/paths';

/**
 * What runs did: stage runs, TCR cycles, LLM calls, workspace changes. Kept apart from the audit
 * trail of decisions (`audit.jsonl`, committed: a task created, approved, rolled out, closed), in
 * `.factory/<slug>/activity.jsonl`, which git ignores: running stages, pipelines and TCR changes
 * no tracked file. A stage run's own record is its result and signed attestation in `results/`
 * (Nx outputs, restored from cache); this log is the local history of what ran here.
 */
export interface ActivityInput {
  task: string;
  actor: string;
  action: string;
  outcome: string;
  details?: Record<string, unknown>;
}

export interface ActivityEvent extends ActivityInput {
  ts: string;
}

export const activityFile = (root: string, slug: string): string => path.join(root, taskPaths(slug).dir, 'activity.jsonl');

/** Appends one event (one `write` of one line with O_APPEND: concurrent writers do not interleave). */
export function recordActivity(root: string, e: ActivityInput, now: Date = new Date()): void {
  const file = activityFile(root, e.task);
  mkdirSync(path.dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify({ ts: now.toISOString(), ...e })}\n`);
}

/** Every readable event of a task's activity, oldest first (a torn last line is skipped). */
export function readActivity(root: string, slug: string): ActivityEvent[] {
  let text: string;
  try {
    text = readFileSync(activityFile(root, slug), 'utf8');
  } catch {
    return [];
  }
  const out: ActivityEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      const e = JSON.parse(line) as ActivityEvent;
      if (e && typeof e.ts === 'string' && typeof e.action === 'string') out.push(e);
    } catch {
      // a line cut by a crash mid-write: skipped
    }
  }
  return out;
}
