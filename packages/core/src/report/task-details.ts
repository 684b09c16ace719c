import { readActivity } from '../audit/activity';
import { readTaskAudit } from '../audit/read';
import type { ChangedFile } from '../gates/changes';
import { excludedByDefault } from '../gates/default-exclude';
import { countLines } from '../gates/line-budget';
import { changedFiles } from '../repo/changes';
import { loadRolloutState, type RolloutState } from '../rollout/state';
import type { FileReader } from '../detect/fs';
import type { LoadedContract } from '../store/load';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { runGit } from '../repo/git';
import { recordedWorkspace, taskCodeRoot } from '../workspace/code-root';
import { taskBranch } from '../workspace/pointer';
import { collectTaskReport, type TaskReport } from './task-report';

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

/** An entry of a task's history as views read it (whichever log it came from). */
export type HistoryEvent = Pick<TaskDetails['history'][number], 'ts' | 'action' | 'outcome' | 'details'>;

/** The details and what they were made from, read once, for views that show more (see task-view.ts). */
export interface CollectedDetails {
  details: TaskDetails;
  contract?: LoadedContract;
  /** The task's changed files since its base commit (`.factory/` left out); undefined when unknown. */
  changes?: ChangedFile[];
}

async function taskChanges(root: string, base: string | undefined): Promise<ChangedFile[] | string> {
  if (!base) return 'no base_commit in task.yaml, so lines changed are unknown';
  try {
    return (await changedFiles(root, base)).filter((f) => !f.path.startsWith('.factory/'));
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

/**
 * What a task's files under `.factory/` say (everything of its details but the lines changed,
 * which come from git): the details, with the problems of reading the rollout state kept apart
 * (`rolloutProblems`) so that `withLinesChanged` lists them last, as they have always been.
 * Detection reads the project's files through `reader` (default: the disk).
 */
export interface RecordedDetails {
  details: TaskDetails;
  contract?: LoadedContract;
  rolloutProblems: string[];
}

export function recordedTaskDetails(root: string, slug: string, reader?: FileReader): RecordedDetails {
  const { report, contract } = collectTaskReport(root, slug, reader);
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
  const rolloutProblems: string[] = [];
  const r = loadRolloutState(root, slug);
  if (r.value) {
    const { strategy, steps, percent, phase, approved_by, approved_at, updated_at, history } = r.value;
    details.rollout = { strategy, steps, percent, phase, approved_by, approved_at, updated_at, history };
  } else if (r.errors.length) rolloutProblems.push(...r.errors.map((p) => `${p.file}: ${p.field}: ${p.message}`));
  return { details, contract, rolloutProblems };
}

/**
 * The lines changed of a task being asked of git (see `startTaskChanges`): the base commit they
 * are against and the task's changed files (`.factory/` left out), or why they are unknown.
 */
export interface TaskChanges {
  base: string | undefined;
  found: Promise<ChangedFile[] | string>;
}

/**
 * Starts asking git for the task's changed files since `base`, where its code is (the main
 * checkout or its workspace), and returns at once: git works while the caller reads the rest.
 * Never rejects; a failure is the message `withLinesChanged` lists among the problems.
 */
export function startTaskChanges(root: string, slug: string, base: string | undefined): TaskChanges {
  let codeRoot: string;
  try {
    codeRoot = taskCodeRoot(root, slug);
  } catch (e) {
    return { base, found: Promise.resolve(`lines changed unknown: ${(e as Error).message}`) };
  }
  return { base, found: taskChanges(codeRoot, base) };
}

/**
 * The recorded details completed with the lines changed since the task's base commit, where its
 * code is (the main checkout or its workspace): git, read every time. No zod and no YAML.
 * `started`: the changes already asked for (`startTaskChanges`), used when they are against the
 * base commit the details name; otherwise they are asked for now.
 */
export async function withLinesChanged(
  root: string,
  slug: string,
  recorded: RecordedDetails,
  started?: TaskChanges,
): Promise<CollectedDetails> {
  const { rollout, ...rest } = recorded.details;
  const details: TaskDetails = { ...rest };
  let changes: ChangedFile[] | undefined;
  const asked = started && started.base === details.base_commit ? started : startTaskChanges(root, slug, details.base_commit);
  const found = await asked.found;
  if (typeof found === 'string') details.problems = [...details.problems, found];
  else {
    changes = found;
    const c = countLines(found, excludedByDefault);
    details.lines_changed = { added: c.lines_added, removed: c.lines_removed, counted: c.lines_counted, files: found.length };
  }
  const missing = await missingWorkspace(root, slug);
  if (missing) details.problems = [...details.problems, missing];
  if (rollout) details.rollout = rollout;
  if (recorded.rolloutProblems.length) details.problems = [...details.problems, ...recorded.rolloutProblems];
  return { details, contract: recorded.contract, changes };
}

export async function collectTaskDetails(root: string, slug: string): Promise<CollectedDetails> {
  return withLinesChanged(root, slug, recordedTaskDetails(root, slug));
}

export async function taskDetails(root: string, slug: string): Promise<TaskDetails> {
  return (await collectTaskDetails(root, slug)).details;
}

/**
 * A git workspace task.yaml records that is not here while its branch is (deleted by hand): the
 * stages then judge the main tree, without the work committed on the branch. A CI clone has
 * neither the workspace nor the branch, which is no problem.
 */
async function missingWorkspace(root: string, slug: string): Promise<string | undefined> {
  const pointer = recordedWorkspace(root, slug);
  if (!pointer || pointer.backend !== 'git' || existsSync(path.resolve(root, pointer.path))) return undefined;
  const branch = taskBranch(slug);
  const r = await runGit(['rev-parse', '-q', '--verify', `refs/heads/${branch}`], { cwd: root, allowExitCodes: [1, 128] }).catch(
    () => undefined,
  );
  if (r?.exitCode !== 0) return undefined;
  return `the workspace task.yaml records (${pointer.path}) is not here, but its branch ${branch} is: the stages judge the main tree, without the work committed there; bring it back with: factory workspace create ${slug}`;
}
