import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { verifyChain, type ChainReport } from '../audit/verify';
import { taskPaths } from '../store/paths';
import { contractStageOf, contractView, type ContractView } from './contract-view';
import { lifecycleView, type LifecycleView } from './lifecycle-view';
import { llmUsage, type LlmUsage } from './llm-usage';
import { rolloutChart, type RolloutChart } from './rollout-chart';
import { readStageExtras, type StageExtras } from './stage-extras';
import { collectTaskDetails, type TaskDetails } from './task-details';
import { listTasks, type TaskListEntry } from './task-list';
import type { StageReport } from './task-report';
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
    const lines = buf.toString('utf8').split('\n');
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

export async function taskView(root: string, slug: string, now: () => Date = () => new Date()): Promise<TaskView> {
  const at = now();
  const { details, contract, changes } = await collectTaskDetails(root, slug);
  // The history, not one log: it holds every event whichever file records it.
  const events = details.history;
  const problems = [...details.problems];
  const stages: StageView[] = details.stages.map((s) => {
    const extras = readStageExtras(root, slug, s.name);
    if (extras.attestation?.problem) problems.push(extras.attestation.problem);
    const log = s.log_file ? tail(path.join(root, s.log_file)) : undefined;
    return { ...s, ...extras, verdict: verdictOf(s), ...(log !== undefined ? { log_tail: log } : {}) };
  });
  const display = (f: string) => path.relative(root, f).split(path.sep).join('/');
  const chain = verifyChain(path.join(root, taskPaths(slug).audit), display);
  const view: TaskView = {
    ...details,
    generated_at: at.toISOString(),
    stages,
    lifecycle: lifecycleView(details.status, details.reason, events),
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
  if (contract) {
    const cov = coverageView(stages, contract.contract.required_test_coverage, details.coverage_percent);
    if (cov) view.coverage = cov;
    const stage = contractStageOf(contract.pipeline);
    view.contract = contractView(
      contract.contract,
      stages.find((s) => s.name === stage?.name),
      changes,
    );
  }
  if (details.rollout) view.rollout_chart = rolloutChart(details.rollout, events, at);
  const llm = llmUsage(root, slug, events, problems);
  if (llm) view.llm = llm;
  return view;
}

/** The workspace's page: every task listed, and each task's full view. */
export interface WorkspaceView {
  generated_at: string;
  tasks: TaskListEntry[];
  views: TaskView[];
}

export async function workspaceView(root: string, now: () => Date = () => new Date()): Promise<WorkspaceView> {
  const tasks = listTasks(root);
  const views: TaskView[] = [];
  for (const t of tasks) views.push(await taskView(root, t.slug, now));
  return { generated_at: now().toISOString(), tasks, views };
}
