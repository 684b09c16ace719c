import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import type { ChainReport } from '../audit/verify';
import { stripAnsi } from '../process/output-lines';
import type { Contract } from '../domain/contract';
import { contractView, type ContractView } from './contract-view';
import type { LifecycleView } from './lifecycle-view';
import type { LlmUsage } from './llm-usage';
import { recordedTaskView } from './recorded-view';
import { rolloutChartAt, type RolloutChart } from './rollout-chart';
import type { StageExtras } from './stage-extras';
import { withLinesChanged, type TaskDetails } from './task-details';
import { listEntryOf, type TaskListEntry } from './task-list';
import { listTaskSlugs, type StageReport } from './task-report';
import { taskChain, type VerifiedChain } from './task-chain';
import { stageTimeline, verdictOf, type Timeline, type Verdict } from './timeline';

/** A stage with everything a page shows of it. */
export interface StageView extends StageReport, StageExtras {
  verdict: Verdict;
  /** The last lines of its log (already redacted by the runner), when the log exists. */
  log_tail?: string;
}

export interface CoverageView {
  percent?: number;
  /** The contract's `required_test_coverage`. */
  floor: number;
  /** Undefined when there is no figure. */
  met?: boolean;
  /** The stage the figure came from. */
  stage?: string;
}

export interface AuditView {
  ok: boolean;
  events: number;
  files: string[];
  head?: ChainReport['head'];
  problem?: ChainReport['problem'];
  warnings: string[];
}

/**
 * Everything `factory report`, `factory ui` and the GitHub pull request show of one task: the
 * details `factory show --json` prints, plus views derived from the same files. Renderers only
 * turn it into HTML or Markdown. `problems` lists what could not be read; the rest still shows.
 */
export interface TaskView extends TaskDetails {
  generated_at: string;
  stages: StageView[];
  lifecycle: LifecycleView;
  timeline?: Timeline;
  coverage?: CoverageView;
  contract?: ContractView;
  rollout_chart?: RolloutChart;
  audit: AuditView;
  llm?: LlmUsage;
}

const LOG_TAIL_BYTES = 4096;
const LOG_TAIL_LINES = 20;

/** The last lines of a file (at most a few KB), or undefined when it cannot be read. */
function tail(file: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = fstatSync(fd).size;
    const from = Math.max(0, size - LOG_TAIL_BYTES);
    const buf = Buffer.alloc(size - from);
    readSync(fd, buf, 0, buf.length, from);
    // Colour codes a tool printed (vitest colours under CI) are no text for a page or a check run.
    const lines = stripAnsi(buf.toString('utf8')).split('\n');
    if (from > 0) lines.shift();
    while (lines.length && lines[lines.length - 1] === '') lines.pop();
    return lines.slice(-LOG_TAIL_LINES).join('\n');
  } finally {
    closeSync(fd);
  }
}

function coverageView(stages: readonly StageReport[], floor: number, percent: number | undefined): CoverageView | undefined {
  const from = [...stages].reverse().find((s) => typeof s.metrics?.coverage_percent === 'number');
  if (percent === undefined && floor <= 0) return undefined;
  return {
    floor,
    ...(percent !== undefined ? { percent, met: percent >= floor } : {}),
    ...(from ? { stage: from.name } : {}),
  };
}

/** What a task's view shows of its contract. */
export type ContractTerms = Pick<
  Contract,
  'allowed_files' | 'forbidden_files' | 'new_dependencies_allowed' | 'line_budget_exclude' | 'max_lines_changed' | 'required_test_coverage'
>;

/**
 * What a task's view is made of that its files under `.factory/` record, read with YAML and zod
 * (`recordedTaskView`): plain JSON, so that it can be kept (factory's CLI does) and completed
 * later without them (`completeTaskView`: the lines changed, the logs, the audit chain as its
 * files are then, the time).
 */
export interface RecordedTaskView {
  details: TaskDetails;
  /** Kept apart so that the lines changed come first (see `withLinesChanged`). */
  rolloutProblems: string[];
  /** One per stage of `details.stages`, in its order. */
  extras: StageExtras[];
  lifecycle: LifecycleView;
  /** Absent when the contract is invalid. `stage`: the stage that checks it. */
  contract?: { terms: ContractTerms; stage?: string };
  /** Without a time: `rolloutChartAt` brings it to the present. */
  rollout_chart?: RolloutChart;
  llm?: LlmUsage;
  /** What could not be read of `metrics.yaml`. */
  llmProblems: string[];
  chain: VerifiedChain;
}

/**
 * A task's view from what its files record (`recordedTaskView`, read now or kept), with what
 * is read every time: the lines changed since its base commit (git), the tail of each stage's
 * log, the audit chain (verified again unless its files are the bytes the recorded view
 * verified), the time. No YAML and no zod.
 */
export async function completeTaskView(
  root: string,
  slug: string,
  recorded: RecordedTaskView,
  now: () => Date = () => new Date(),
): Promise<TaskView> {
  const at = now();
  // git works out the lines changed while the audit chain is checked and the logs are read.
  const changed = withLinesChanged(root, slug, { details: recorded.details, rolloutProblems: recorded.rolloutProblems });
  const chain = taskChain(root, slug, recorded.chain).report;
  const logs = recorded.details.stages.map((s) => (s.log_file ? tail(path.join(root, s.log_file)) : undefined));
  const { details, changes } = await changed;
  const problems = [...details.problems];
  const stages: StageView[] = details.stages.map((s, i) => {
    const extras = recorded.extras[i] ?? {};
    if (extras.attestation?.problem) problems.push(extras.attestation.problem);
    const log = logs[i];
    return { ...s, ...extras, verdict: verdictOf(s), ...(log !== undefined ? { log_tail: log } : {}) };
  });
  problems.push(...recorded.llmProblems);
  const view: TaskView = {
    ...details,
    generated_at: at.toISOString(),
    stages,
    lifecycle: recorded.lifecycle,
    audit: {
      ok: chain.ok,
      events: chain.events,
      files: chain.files,
      ...(chain.head ? { head: chain.head } : {}),
      ...(chain.problem ? { problem: chain.problem } : {}),
      warnings: chain.warnings,
    },
    problems,
  };
  const timeline = stageTimeline(stages);
  if (timeline) view.timeline = timeline;
  if (recorded.contract) {
    const { terms, stage } = recorded.contract;
    const cov = coverageView(stages, terms.required_test_coverage, details.coverage_percent);
    if (cov) view.coverage = cov;
    view.contract = contractView(
      terms,
      stages.find((s) => s.name === stage),
      changes,
    );
  }
  if (recorded.rollout_chart) view.rollout_chart = rolloutChartAt(recorded.rollout_chart, at);
  if (recorded.llm) view.llm = recorded.llm;
  return view;
}

/** Everything `factory report`, `factory ui` and the pull request show of one task. */
export async function taskView(root: string, slug: string, now: () => Date = () => new Date()): Promise<TaskView> {
  return completeTaskView(root, slug, recordedTaskView(root, slug), now);
}

/** The workspace's page: every task listed, and each task's full view. */
export interface WorkspaceView {
  generated_at: string;
  tasks: TaskListEntry[];
  views: TaskView[];
}

/** A task's recorded view: read now (`recordedTaskView`), or kept from an earlier read. */
export type RecordTask = (slug: string) => RecordedTaskView | Promise<RecordedTaskView>;

/** The workspace's page from each task's recorded view (`record`), completed now. */
export async function workspaceViewOf(root: string, record: RecordTask, now: () => Date = () => new Date()): Promise<WorkspaceView> {
  const tasks: TaskListEntry[] = [];
  const views: TaskView[] = [];
  for (const slug of listTaskSlugs(root)) {
    const r = await record(slug);
    tasks.push(listEntryOf(r.details, r.details.rollout, r.rolloutProblems));
    views.push(await completeTaskView(root, slug, r, now));
  }
  return { generated_at: now().toISOString(), tasks, views };
}

export async function workspaceView(root: string, now: () => Date = () => new Date()): Promise<WorkspaceView> {
  return workspaceViewOf(root, (slug) => recordedTaskView(root, slug), now);
}
