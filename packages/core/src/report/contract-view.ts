import type { Contract } from '../domain/contract';
import type { StageFinding } from '../domain/results';
import type { Stage } from '../domain/stage';
import type { ChangedFile } from '../gates/changes';
import { compileGlobSet } from '../gates/glob-set';
import { countLines, DEFAULT_LINE_BUDGET_EXCLUDE } from '../gates/line-budget';
import type { StageReport } from './task-report';

/** One changed file as the contract sees it. */
export interface ContractFileView {
  path: string;
  old_path?: string;
  status: ChangedFile['status'];
  added: number;
  removed: number;
  binary: boolean;
  /** Matches an allowed glob and no forbidden one. */
  allowed: boolean;
  /** The forbidden glob it matches, if any. */
  forbidden_by?: string;
  /** Counted against `max_lines_changed` (lockfiles and generated files are not). */
  counted: boolean;
}

export interface ContractView {
  /** The contract stage's last verdict, when it has run. */
  stage?: Pick<StageReport, 'name' | 'status' | 'summary' | 'finished_at'>;
  allowed_files: string[];
  forbidden_files: string[];
  new_dependencies_allowed: boolean;
  /** The task's changes now (undefined when the diff could not be read). */
  files?: ContractFileView[];
  lines: { counted: number; excluded: number; max: number; source: 'diff' | 'stage' } | undefined;
  /** `ecosystem:name` of dependencies the contract stage found added. */
  dependencies_added: string[];
  /** What the contract stage found broken, each with file where known. */
  violations: StageFinding[];
}

/** The stage that checks the contract: the built-in `contract` stage, under whatever name. */
export function contractStageOf(pipeline: readonly Stage[]): Stage | undefined {
  return pipeline.find((s) => s.builtin === 'contract') ?? pipeline.find((s) => s.name === 'contract');
}

const num = (v: unknown) => (typeof v === 'number' ? v : undefined);

/**
 * The contract check as a view (pure): each file the task changed marked allowed or not by the
 * contract's globs (as the contract stage matches them), the lines against the budget, and the
 * contract stage's own findings and dependency count from its last run.
 */
export function contractView(
  contract: Pick<Contract, 'allowed_files' | 'forbidden_files' | 'new_dependencies_allowed' | 'line_budget_exclude' | 'max_lines_changed'>,
  stage: StageReport | undefined,
  changes: readonly ChangedFile[] | undefined,
): ContractView {
  const view: ContractView = {
    allowed_files: contract.allowed_files,
    forbidden_files: contract.forbidden_files,
    new_dependencies_allowed: contract.new_dependencies_allowed,
    lines: undefined,
    dependencies_added: [],
    violations: stage?.findings ?? [],
  };
  if (stage && stage.status !== 'not_run')
    view.stage = { name: stage.name, status: stage.status, summary: stage.summary, finished_at: stage.finished_at };
  const deps = stage?.metrics?.dependencies_added;
  if (typeof deps === 'string' && deps.trim())
    view.dependencies_added = deps
      .split(',')
      .map((d) => d.trim())
      .filter(Boolean);
  if (changes) {
    const allowed = compileGlobSet(contract.allowed_files).matches;
    const forbidden = compileGlobSet(contract.forbidden_files);
    const excluded = compileGlobSet([...DEFAULT_LINE_BUDGET_EXCLUDE, ...contract.line_budget_exclude]).matches;
    view.files = changes.map((c) => {
      const paths = c.oldPath && c.oldPath !== c.path ? [c.path, c.oldPath] : [c.path];
      const forbiddenBy = paths.map((p) => forbidden.firstMatch(p)).find((g) => g !== undefined);
      return {
        path: c.path,
        ...(c.oldPath && c.oldPath !== c.path ? { old_path: c.oldPath } : {}),
        status: c.status,
        added: c.added,
        removed: c.removed,
        binary: c.binary,
        allowed: paths.every((p) => allowed(p)) && forbiddenBy === undefined,
        ...(forbiddenBy !== undefined ? { forbidden_by: forbiddenBy } : {}),
        counted: !c.binary && !excluded(c.path),
      };
    });
    const count = countLines(changes, excluded);
    view.lines = { counted: count.lines_counted, excluded: count.lines_excluded, max: contract.max_lines_changed, source: 'diff' };
  } else {
    const counted = num(stage?.metrics?.lines_counted);
    if (counted !== undefined)
      view.lines = {
        counted,
        excluded: num(stage?.metrics?.lines_excluded) ?? 0,
        max: num(stage?.metrics?.max_lines_changed) ?? contract.max_lines_changed,
        source: 'stage',
      };
  }
  return view;
}
