import { outputLines } from './output-lines';
import type { TestReport } from './test-report-schema';
import type { TestRun, TestRunFormat } from './test-run';
import { CARGO_TEST } from './test-run-cargo';
import { GO_TEST } from './test-run-go';
import { JEST } from './test-run-jest';
import { MOCHA } from './test-run-mocha';
import { NODE_TEST } from './test-run-node';
import { TAP } from './test-run-tap';
import { TAPE } from './test-run-tape';
import { AVA } from './test-run-ava';
import { PYTEST } from './test-run-pytest';
import { UNITTEST } from './test-run-unittest';
import { VITEST } from './test-run-vitest';
import { UVU } from './test-run-uvu';

// Type-only: the stage runner's bundle, which reads test reports, leaves zod out.
export type { TestReport } from './test-report-schema';

/** The runners' formats, in the order their results are listed. */
const FORMATS: readonly TestRunFormat[] = [GO_TEST, PYTEST, UNITTEST, CARGO_TEST, JEST, VITEST, MOCHA, NODE_TEST, TAPE, TAP, AVA, UVU];

/** The report and what the summary needs to state the first failure. */
export interface TestRuns {
  report: TestReport;
  /** Index of the line that reports the first failure (any runner), or -1. */
  firstFailure: number;
  /** That failure's cause on one line, or ''. */
  cause: string;
  /** Lines that state the root cause better than counts do (Go's test-timeout panic). */
  headline?: string[];
  /** Index of a runner's own line saying that no tests ran, or -1. */
  noneLine: number;
}

/**
 * Reads the test results in a test command's combined output (ANSI colours and CRLF accepted):
 * go test, pytest, unittest, cargo test, Jest, Vitest, Mocha, `node --test` (TAP and spec), tape, node-tap, ava and uvu.
 * Undefined when the output holds no runner's results (a build that failed before tests ran,
 * a linter). Linear in the size of the output.
 */
export function readTestReport(output: string): TestReport | undefined {
  return readTestRuns(outputLines(output))?.report;
}

/** `readTestReport` over output already split by `outputLines`, with the first failure's cause. */
export function readTestRuns(lines: readonly string[]): TestRuns | undefined {
  const runs = presentFormats(lines)
    .map((format) => format.read(lines))
    .filter((run): run is TestRun => run !== undefined);
  if (runs.length === 0) return undefined;
  const first = runs.filter((run) => run.firstFailure >= 0).sort((a, b) => a.firstFailure - b.firstFailure)[0];
  const failing = [...new Set(runs.flatMap((run) => run.failing))];
  const report: TestReport = {
    runners: runs.map((run) => run.runner),
    passed: sumOrNull(runs.map((run) => run.passed)),
    failed: runs.reduce((sum, run) => sum + run.failed, 0),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    skipped: sumOrNull(runs.map((run) => run.skipped)),
    failing,
    none_ran: runs.every((run) => run.noneRan),
  };
  const timeout = runs.find((run) => run.headline);
  return {
    report,
    firstFailure: first?.firstFailure ?? -1,
    cause: first?.cause ?? '',
    headline: timeout?.headline,
    noneLine: report.none_ran ? Math.max(-1, ...runs.map((run) => run.noneLine)) : -1,
  };
}

/** The formats whose marked lines can start with a character, by character. */
const BY_START = new Map<string, TestRunFormat[]>();
for (const format of FORMATS) {
  for (const start of format.starts) BY_START.set(start, [...(BY_START.get(start) ?? []), format]);
}

/** The formats with a line marked as theirs, found in one pass that stops once every format is found. */
function presentFormats(lines: readonly string[]): TestRunFormat[] {
  const found = new Set<TestRunFormat>();
  for (let i = 0; i < lines.length && found.size < FORMATS.length; i++) {
    const candidates = BY_START.get(lines[i].charAt(0));
    if (candidates) for (const format of candidates) if (!found.has(format) && format.mark(lines[i])) found.add(format);
  }
  return FORMATS.filter((format) => found.has(format));
}

function sumOrNull(values: readonly (number | null)[]): number | null {
  return values.some((value) => value === null) ? null : values.reduce<number>((sum, value) => sum + (value ?? 0), 0);
}

/**
 * The report as stage metrics (`tests_passed`, `tests_failed`, `tests_errors`, `tests_skipped`,
 * `tests_none_ran`); counts a runner does not print are left out, not written as 0.
 */
export function testReportMetrics(report: TestReport): Record<string, number | boolean> {
  const metrics: Record<string, number | boolean> = {
    tests_failed: report.failed,
    tests_errors: report.errors,
    tests_none_ran: report.none_ran,
  };
  if (report.passed !== null) metrics.tests_passed = report.passed;
  if (report.skipped !== null) metrics.tests_skipped = report.skipped;
  return metrics;
}
