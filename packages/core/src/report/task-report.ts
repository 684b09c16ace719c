import { readdirSync } from 'node:fs';
import path from 'node:path';
import { formatProblem } from '../domain/errors';
import type { StageResult, TaskResult } from '../domain/results';
import { validateSlug } from '../domain/slug';
import type { FileReader } from '../detect/fs';
import { loadContract, loadTask, type LoadedContract } from '../store/load';
import { FACTORY_DIR, GLOBAL_FILES } from '../store/paths';
import { parseConfig } from '../store/config';
import { readDocumentIfExists } from '../store/atomic';
import { targetNeeds } from '../pipeline/standard';
import { aggregateTaskResult, readStageResult } from '../store/results';

/** One stage's line in a report: its definition and its last result. */
export interface StageReport {
  name: string;
  required: boolean;
  needs: string[];
  status: StageResult['status'] | 'not_run';
  /** A failure of a stage with `required_success: false`. */
  advisory?: boolean;
  duration_ms?: number;
  summary?: string;
  started_at?: string;
  finished_at?: string;
  metrics?: StageResult['metrics'];
  /** The full output, relative to the root. */
  log_file?: string;
  findings?: StageResult['findings'];
  warnings?: string[];
  /**
   * A stage this one needs (directly or through others) failed after this result was recorded, so
   * Nx has not run this stage since: its result is of earlier code, not of the code that failed.
   * The name of that stage; absent otherwise.
   */
  not_rerun_since?: string;
}

/**
 * What `factory show --json` prints (version 1). Fields are only ever added, never renamed.
 * `problems` lists what could not be read (an invalid contract, a corrupt result file).
 */
export interface TaskReport {
  version: 1;
  slug: string;
  title?: string;
  description?: string;
  status?: string;
  reason?: string;
  created_at?: string;
  base_commit?: string;
  language?: string;
  allowed_files?: string[];
  overall_status?: TaskResult['overall_status'];
  coverage_percent?: number;
  /** The coverage figure is from a result that was not run again since a stage it needs failed (see `StageReport.not_rerun_since`). */
  coverage_not_rerun_since?: string;
  stages: StageReport[];
  problems: string[];
}

export function taskReport(root: string, slug: string, reader?: FileReader): TaskReport {
  return collectTaskReport(root, slug, reader).report;
}

/**
 * The report and the contract it was made from (undefined when the contract is invalid), read
 * once. Detection reads the project's files through `reader` (default: the disk).
 */
export function collectTaskReport(root: string, slug: string, reader?: FileReader): { report: TaskReport; contract?: LoadedContract } {
  const report: TaskReport = { version: 1, slug, stages: [], problems: [] };
  const task = loadTask(root, slug, reader);
  if (task.value) {
    const t = task.value;
    Object.assign(report, {
      title: t.title,
      description: t.description,
      status: t.status,
      reason: t.reason,
      created_at: t.created_at,
      base_commit: t.base_commit,
    });
  } else report.problems.push(...task.errors.map(formatProblem));

  const c = loadContract(root, slug, reader);
  if (!c.value) {
    report.problems.push(...c.errors.map(formatProblem));
    return { report };
  }
  report.language = c.value.contract.language;
  report.allowed_files = c.value.contract.allowed_files;
  const results = new Map<string, StageResult>();
  for (const s of c.value.pipeline) {
    const r = readStageResult(root, slug, s.name);
    report.problems.push(...r.problems.map(formatProblem));
    if (r.result) results.set(s.name, r.result);
    report.stages.push({
      name: s.name,
      required: s.required_success,
      needs: s.needs,
      status: r.result?.status ?? 'not_run',
      ...(r.result?.advisory ? { advisory: true } : {}),
      duration_ms: r.result?.duration_ms,
      summary: r.result?.summary,
      started_at: r.result?.started_at,
      finished_at: r.result?.finished_at,
      metrics: r.result?.metrics,
      log_file: r.result?.log_file,
      ...(r.result?.findings?.length ? { findings: r.result.findings } : {}),
      ...(r.result?.warnings?.length ? { warnings: r.result.warnings } : {}),
    });
  }
  // What each stage's target waits for (a review asking no model waits for nothing, so no failure holds it back).
  const llm = parseConfig(readDocumentIfExists(path.join(root, GLOBAL_FILES.config), GLOBAL_FILES.config), GLOBAL_FILES.config).value?.llm;
  const waits = new Map(c.value.pipeline.map((s) => [s.name, targetNeeds(s, llm !== undefined)]));
  markNotRerun(report.stages, results, waits);
  const agg = aggregateTaskResult(slug, c.value.pipeline, results);
  report.overall_status = agg.overall_status;
  const cov = agg.metrics.coverage_percent;
  if (typeof cov === 'number') {
    report.coverage_percent = cov;
    const from = report.stages.filter((s) => typeof s.metrics?.coverage_percent === 'number').at(-1);
    if (from?.not_rerun_since) report.coverage_not_rerun_since = from.not_rerun_since;
  }
  return { report, contract: c.value };
}

/**
 * Marks each result that a later failure upstream left behind: when a required stage fails, Nx
 * runs none of the stages that need it, so their results on disk are of the code before (found on
 * spf13/pflag, where a failed build left "coverage success 72.3 %" looking current). Only a
 * required failure counts (an advisory one exits 0 and its dependents run), and only one that
 * started after the result finished; a failure is never restored from Nx's cache, so its time is
 * that of a real run. No git is asked.
 */
function markNotRerun(stages: StageReport[], results: Map<string, StageResult>, needs: ReadonlyMap<string, readonly string[]>): void {
  const upstream = (name: string): Set<string> => {
    const seen = new Set<string>();
    const queue = [...(needs.get(name) ?? [])];
    for (let n = queue.pop(); n !== undefined; n = queue.pop()) {
      if (seen.has(n)) continue;
      seen.add(n);
      queue.push(...(needs.get(n) ?? []));
    }
    return seen;
  };
  for (const s of stages) {
    const mine = results.get(s.name);
    if (!mine) continue;
    const blocker = [...upstream(s.name)]
      .map((n) => results.get(n))
      .filter((r): r is StageResult => r !== undefined && r.status === 'failure' && !r.advisory && r.started_at > mine.finished_at)
      .sort((a, b) => (a.started_at < b.started_at ? -1 : 1))[0];
    if (blocker) s.not_rerun_since = blocker.stage_name;
  }
}

/** Slugs of every task folder under `.factory/` that holds a contract. */
export function listTaskSlugs(root: string): string[] {
  let names: string[];
  try {
    names = readdirSync(path.join(root, FACTORY_DIR), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
  } catch {
    return [];
  }
  return names
    .filter((n) => validateSlug(n).ok)
    .filter((n) => {
      try {
        return readdirSync(path.join(root, FACTORY_DIR, n)).includes('contract.yaml');
      } catch {
        return false;
      }
    })
    .sort();
}
