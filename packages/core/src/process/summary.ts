import { findCoverageTotal } from '../coverage/parse';
import { outputLines } from './output-lines';
import { firstErrorLike, lastMeaningful, passingStatus } from './summary-fallback';
import { FAILURE_RULES, listedFile, TSC_ERROR, type SummaryRule } from './summary-rules';
import { describeTestFailures } from './test-cause';
import { readTestRuns, type TestReport, type TestRuns } from './test-report';

/** The longest line a summary returns; longer lines are cut and end with `…`. */
export const SUMMARY_LINE_MAX = 500;

export interface SummaryOptions {
  /** The command's exit status; 0 means a passing run. Unknown (null/undefined) is read as failing. */
  exitCode?: number | null;
}

export interface OutputSummary {
  /** The 1–2 line summary (see `extractErrorSummary`). */
  summary: string;
  /** The test results in the output, when a test runner's were found (see `readTestReport`). */
  tests?: TestReport;
}

/**
 * A 1–2 line summary of a command's combined output, lines joined with `\n`; '' for empty
 * output. Each line is trimmed and cut to `SUMMARY_LINE_MAX` characters. ANSI codes are
 * removed and CRLF endings accepted first.
 *
 * - Failing run of tests (go test, pytest, unittest, cargo test, Jest, Vitest, Mocha,
 *   `node --test`): the counts naming the failing tests, then the first failure's cause
 *   (`3 tests failed (3 passed): TestA, TestB, TestC` / `a_test.go:21: got 1, want 2`);
 *   Go's test-timeout panic and the tests it caught running; or the runner's own line saying
 *   that no tests ran. An error of another kind reported before the first failing test (a
 *   compile error in one Go package) is the root cause instead, with the failing tests named
 *   on the second line when there are any; for cargo only when cargo
 *   could not compile (what the tests print themselves, such as the compiler errors of the
 *   probes they run, is no cause).
 * - Other failing runs: every rule in `FAILURE_RULES` (go, cargo, python, pytest, mypy,
 *   pyflakes, tsc, jest, eslint, prettier, file lists) looks for its first error and the one
 *   found earliest in the output wins (tsc's with the count of its errors when there are several), so with several errors the first is returned, never a
 *   warning; each line is a whole output line. Unknown tools: the first line that looks like
 *   an error (`looksLikeError`: not a warning or npm notice), else the last meaningful line.
 * - Passing run (`exitCode` 0): a file list's first file (`gofmt -l` exits 0 when it lists
 *   files), else a test runner's line saying that no tests ran (`[no test files]`,
 *   `# tests 0`), else the line holding the coverage total, else the final status line.
 *
 * Linear in the size of the output; a stage's timeout is the caller's concern.
 */
export function extractErrorSummary(output: string, options: SummaryOptions = {}): string {
  return summarizeOutput(output, options).summary;
}

/** `extractErrorSummary`, with the test results it read beside the summary. */
export function summarizeOutput(output: string, options: SummaryOptions = {}): OutputSummary {
  const lines = outputLines(output);
  const tests = readTestRuns(lines);
  const picked =
    options.exitCode === 0 ? passingLines(lines, tests).map((i) => lines[i]) : afterPassingTests(failingText(lines, tests), tests);
  const summary = picked.map((line) => capLine(line.trim())).join('\n');
  return tests ? { summary, tests: tests.report } : { summary };
}

function passingLines(lines: readonly string[], tests: TestRuns | undefined): number[] {
  const files = listedFile(lines);
  if (files) return files;
  if (tests?.report.none_ran && tests.noneLine >= 0) return [tests.noneLine];
  const coverage = findCoverageTotal(lines, 'auto');
  if (coverage) return [coverage.line];
  const status = passingStatus(lines);
  return status < 0 ? [] : [status];
}

/**
 * A failing run whose tests all passed failed for something else (ljharb/qs: its posttest's
 * `npm audit`): said first, so that the cause is not read as a test's.
 */
function afterPassingTests(cause: string[], tests: TestRuns | undefined): string[] {
  const passed = tests?.report.passed ?? 0;
  if (!tests || tests.report.failed + tests.report.errors > 0 || passed === 0 || cause.length === 0) return cause;
  return [`${passed} test${passed === 1 ? '' : 's'} passed, but the command failed: ${cause[0].trim()}`, ...cause.slice(1, 2)];
}

/** cargo's own line when a crate (or its tests) did not compile. */
const COULD_NOT_COMPILE = /^error: could not compile /;

function failingText(lines: readonly string[], tests: TestRuns | undefined): string[] {
  const matches = FAILURE_RULES.map((rule) => ({ rule, found: rule.find(lines) }));
  const found = earliest(matches);
  if (tests) {
    const { report } = tests;
    const other = earliest(matches.filter(({ rule }) => !rule.test));
    const first = tests.firstFailure >= 0 ? tests.firstFailure : Infinity;
    // cargo prints what tests themselves run (rustc probes, doc tests' compilers) among its
    // results: a compile error is the cause only when cargo could not build the tests.
    const built = report.runners.length === 1 && report.runners[0] === 'cargo test' && !lines.some((l) => COULD_NOT_COMPILE.test(l));
    const otherFirst = !built && other !== undefined && Math.min(...other) < first;
    // The earlier error is the root cause; failing tests beside it are still named (a vet error in
    // one Go package must not hide a test that failed in another: BurntSushi/toml).
    if (otherFirst && other !== undefined && report.failed > 0 && report.failing.length > 0) {
      return [lines[Math.min(...other)], describeTestFailures(report)];
    }
    if (!otherFirst && tests.headline) return tests.headline;
    if (!otherFirst && report.failed + report.errors > 0 && report.failing.length > 0) {
      return tests.cause === '' ? [describeTestFailures(report)] : [describeTestFailures(report), tests.cause];
    }
    if (found === undefined && tests.noneLine >= 0) return [lines[tests.noneLine]];
  }
  if (found) {
    // tsc prints no count when its output is not a terminal: the first error says how many there are.
    const typeErrors = TSC_ERROR.test(lines[found[0]]) ? lines.filter((l) => TSC_ERROR.test(l)).length : 0;
    if (typeErrors > 1) return [`${typeErrors} type errors, the first: ${lines[found[0]].trim()}`, ...found.slice(1).map((i) => lines[i])];
    return found.map((i) => lines[i]);
  }
  const errorLike = firstErrorLike(lines);
  if (errorLike >= 0) return [lines[errorLike]];
  const last = lastMeaningful(lines);
  return last < 0 ? [] : [lines[last]];
}

interface RuleMatch {
  rule: SummaryRule;
  found: number[] | undefined;
}

/** The match that starts earliest in the output (ties go to the rule listed first); a match may list its lines out of order. */
function earliest(matches: readonly RuleMatch[]): number[] | undefined {
  let best: number[] | undefined;
  for (const { found } of matches) {
    if (found && (best === undefined || Math.min(...found) < Math.min(...best))) best = found;
  }
  return best;
}

function capLine(line: string): string {
  return line.length > SUMMARY_LINE_MAX ? `${line.slice(0, SUMMARY_LINE_MAX - 1)}…` : line;
}
