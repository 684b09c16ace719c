import { readActivity } from '../audit/activity';
import { readTaskAudit } from '../audit/read';
import { DEFAULT_LINE_BUDGET_EXCLUDE, countLines } from '../gates/line-budget';
import { changedFiles } from '../repo/changes';
import { compileGlobs } from '../repo/glob';
import { loadRolloutState, type RolloutState } from '../rollout/state';
import { loadTask } from '../store/load';
import { taskCodeRoot } from '../workspace/code-root';
import { taskReport, type TaskReport } from './task-report';

/** What `factory show --json` prints (version 1): the report plus the task's release story. */
export interface TaskDetails extends TaskReport {
  /** Lines changed since the task's base commit (lockfiles, generated files and .factory/ not counted). */
  lines_changed?: { added: number; removed: number; counted: number; files: number };
  approvals: { actor: string; at: string; strategy?: string; code_tree?: string }[];
  rollout?: Pick<RolloutState, 'strategy' | 'steps' | 'percent' | 'phase' | 'approved_by' | 'approved_at' | 'updated_at' | 'history'>;
  /**
   * The whole story, oldest first: the decisions of the task's audit trail (`seq` is the event's
   * place in that chain) and what ran here, from its activity log (`seq` 0, `source: activity`).
   */
  history: {
    seq: number;
    ts: string;
    actor: string;
    action: string;
    outcome: string;
    details?: Record<string, unknown>;
    source?: 'activity';
  }[];
}

async function linesChanged(root: string, slug: string): Promise<TaskDetails['lines_changed'] | string> {
  const base = loadTask(root, slug).value?.base_commit;
  if (!base) return 'no base_commit in task.yaml, so lines changed are unknown';
  try {
    const files = await changedFiles(taskCodeRoot(root, slug), base);
    const mine = files.filter((f) => !f.path.startsWith('.factory/'));
    const c = countLines(mine, compileGlobs([...DEFAULT_LINE_BUDGET_EXCLUDE]));
    return { added: c.lines_added, removed: c.lines_removed, counted: c.lines_counted, files: mine.length };
  } catch (e) {
    return `lines changed unknown: ${(e as Error).message}`;
  }
}

/** Two lists each in time order, merged in time order (a stable merge: equal times keep decisions first). */
function mergeByTime<T extends { ts: string }>(a: T[], b: T[]): T[] {
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) out.push(j >= b.length || (i < a.length && a[i].ts <= b[j].ts) ? a[i++] : b[j++]);
  return out;
}

export async function taskDetails(root: string, slug: string): Promise<TaskDetails> {
  const report = taskReport(root, slug);
  const events = readTaskAudit(root, slug);
  const details: TaskDetails = {
    ...report,
    approvals: events
      .filter((e) => e.action === 'approved_by_human')
      .map((e) => ({
        actor: e.actor,
        at: e.ts,
        ...(typeof e.details?.strategy === 'string' ? { strategy: e.details.strategy } : {}),
        ...(typeof e.details?.code_tree === 'string' ? { code_tree: e.details.code_tree } : {}),
      })),
    history: mergeByTime(
      events.map((e) => ({
        seq: e.seq,
        ts: e.ts,
        actor: e.actor,
        action: e.action,
        outcome: e.outcome,
        ...(e.details ? { details: e.details } : {}),
      })),
      readActivity(root, slug).map((e) => ({
        seq: 0,
        ts: e.ts,
        actor: e.actor,
        action: e.action,
        outcome: e.outcome,
        ...(e.details ? { details: e.details } : {}),
        source: 'activity' as const,
      })),
    ),
  };
  const lines = await linesChanged(root, slug);
  if (typeof lines === 'string') details.problems = [...details.problems, lines];
  else details.lines_changed = lines;
  const r = loadRolloutState(root, slug);
  if (r.value) {
    const { strategy, steps, percent, phase, approved_by, approved_at, updated_at, history } = r.value;
    details.rollout = { strategy, steps, percent, phase, approved_by, approved_at, updated_at, history };
  } else if (r.errors.length) details.problems = [...details.problems, ...r.errors.map((p) => `${p.file}: ${p.field}: ${p.message}`)];
  return details;
}
