import { contentChanged, type ChangedLines, type FileChange } from './changed-lines';
import { splitByBase, type BaseFinding } from './base-match';
import type { Finding } from './finding';
import { verdictSummary } from './summary';

/**
 * What Go's package loader says when it cannot find or load a package, at the import's
 * `file:line:col` as if it were a finding: `go vet` then analysed nothing (pkg/errors without a
 * go.mod outside GOPATH: `cannot find package "github.com/pkg/errors"`, counted as already there,
 * left a planted vet finding green).
 */
const GO_LOAD_ERROR =
  /^(?:cannot find package "|no required module provides package |missing go\.sum entry |cannot find module providing package |build constraints exclude all Go files |import cycle not allowed|found packages \S+ \(\S+\) and \S+ \(\S+\) in |package \S+ is not in (?:GOROOT|std))/;

/** Whether a finding is the tool saying it could not load the code (see GO_LOAD_ERROR). */
export function couldNotLoad(f: Finding): boolean {
  return GO_LOAD_ERROR.test(f.message);
}

/**
 * - `change` (the default): only findings in what the task changed fail.
 * - `repository`: every finding fails, as before this module.
 */
export type FindingScope = 'change' | 'repository';

/**
 * - `line` (the default): a finding with a line fails when that line (or a line of its range) is
 *   one the task changed; a finding without one, when the task changed its file.
 * - `file`: every finding fails when the task changed its file (for tools whose findings land
 *   away from their cause, such as an import left unused by an edit elsewhere in the file).
 */
export type FindingGranularity = 'line' | 'file';

export interface JudgeOptions {
  scope: FindingScope;
  /** The tool's exit status; null when it was killed. */
  exitCode: number | null;
  granularity?: FindingGranularity;
  /**
   * Whether findings of severity `warning` fail (default true). False for tools whose severities
   * the project configures (ESLint, Biome, oxlint): a warning in the change is listed, not failing.
   */
  warningsFail?: boolean;
  /** The summary of a tool error (the caller's, e.g. `extractErrorSummary` of the output). */
  toolErrorSummary?: string;
  /** Longest summary, in characters (default 500). */
  summaryMax?: number;
  /**
   * The tool's findings on the base commit, and a line of a file as it reads now: a finding off
   * the changed lines that the base did not have is one the change brought, and fails with it
   * (see `splitByBase`). Without it, every finding off the changed lines was already there.
   */
  base?: { findings: readonly BaseFinding[]; lineOf: (file: string, line: number) => string | undefined };
}

export interface FindingsVerdict {
  failed: boolean;
  /** The tool failed without a finding this parser could read: its output is not findings. */
  toolError: boolean;
  /** Findings that fail the task: in what it changed (all of them with scope `repository`). */
  inChange: Finding[];
  /** Warnings in the change when warnings do not fail (`warningsFail: false`): listed, not failing. */
  warnings: Finding[];
  /** Findings that were already there: counted and listed, never failing the task. */
  preexisting: Finding[];
  summary: string;
}

/** Whether `set` holds a number from `lo` to `hi`, walking whichever of the two is smaller. */
function holdsBetween(set: ReadonlySet<number>, lo: number, hi: number): boolean {
  if (hi - lo + 1 > set.size) {
    for (const n of set) if (n >= lo && n <= hi) return true;
    return false;
  }
  for (let n = lo; n <= hi; n++) if (set.has(n)) return true;
  return false;
}

function touchesLines(f: Finding, line: number, change: FileChange): boolean {
  if (change.added === 'all') return true;
  const last = f.endLine ?? line;
  if (holdsBetween(change.added, line, last)) return true;
  // A diff hunk also fails where the task removed lines next to (or inside) its range.
  return f.endLine !== undefined && holdsBetween(change.removedAfter, line - 1, last);
}

/** Whether one finding is in the task's change (`findings` paths relative to the repository root). */
export function inChange(f: Finding, changed: ChangedLines, granularity: FindingGranularity = 'line'): boolean {
  const change = changed.get(f.file);
  if (!change || !contentChanged(change)) return false;
  if (granularity === 'file' || f.line === undefined) return true;
  return touchesLines(f, f.line, change);
}

/**
 * Judges a lint or format tool's findings against the task's change. With scope `change` a
 * finding fails when it is in the change (`inChange`), and the others are counted and listed as
 * already there; with scope `repository` every finding fails. A tool that exited non-zero (or
 * was killed) with no finding read from its output failed on its own: that fails the task, with
 * `toolErrorSummary` as the summary. Findings' files must be relative to the repository root
 * (`resolveFindings`), as `changed`'s keys are.
 */
export function judgeFindings(findings: readonly Finding[], changed: ChangedLines, options: JudgeOptions): FindingsVerdict {
  const granularity = options.granularity ?? 'line';
  if (findings.length === 0 && options.exitCode !== 0) {
    const how = options.exitCode === null ? 'was killed' : `exited with code ${options.exitCode}`;
    const summary = options.toolErrorSummary?.trim() || `the tool ${how} and reported no finding it could read`;
    return { failed: true, toolError: true, inChange: [], warnings: [], preexisting: [], summary };
  }
  // A tool that could not load the code judged none of it: its other findings are no verdict either.
  const unloaded = findings.find(couldNotLoad);
  if (unloaded) {
    const where = `${unloaded.file}${unloaded.line === undefined ? '' : `:${unloaded.line}`}`;
    const summary = `the tool could not load the code, so it judged none of it: ${where}: ${unloaded.message}`;
    return { failed: true, toolError: true, inChange: [], warnings: [], preexisting: [], summary };
  }
  const judged: Finding[] = [];
  let preexisting: Finding[] = [];
  for (const f of findings) {
    if (options.scope === 'repository' || inChange(f, changed, granularity)) judged.push(f);
    else preexisting.push(f);
  }
  let brought = 0;
  if (options.base && preexisting.length > 0) {
    const split = splitByBase(preexisting, options.base.findings, options.base.lineOf);
    judged.push(...split.brought);
    preexisting = split.alreadyThere;
    brought = split.brought.length;
  }
  const warnings = judged.filter((f) => options.warningsFail === false && f.severity === 'warning');
  const failing = judged.filter((f) => !(options.warningsFail === false && f.severity === 'warning'));
  const where =
    options.scope === 'repository' ? 'repository' : brought > 0 ? 'the change' : granularity === 'file' ? 'changed files' : 'changed lines';
  return {
    failed: failing.length > 0,
    toolError: false,
    inChange: failing,
    warnings,
    preexisting,
    summary: verdictSummary(failing, preexisting, {
      warnings,
      where,
      max: options.summaryMax,
    }),
  };
}
