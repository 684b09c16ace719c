import type { TestReport } from './test-report-schema';

/** How many characters of test names the counts line may hold before it says "and N more". */
export const FAILING_NAMES_BUDGET = 160;

/**
 * The counts line of a failing test run, naming the failing tests:
 * `3 tests failed (3 passed, 1 skipped): TestIsNumber/NaN, TestIsNumber/Infinity, TestWordCount`,
 * `2 errors (1 passed): test_store.py::test_query, test_store.py::test_ping`. Names are listed
 * while they fit in `FAILING_NAMES_BUDGET` characters (the first always), then `and N more`.
 * Counts a runner does not print are left out (`3 tests failed: …` for `go test` without `-v`).
 */
export function describeTestFailures(report: TestReport): string {
  const verdict: string[] = [];
  if (report.failed > 0 || report.errors === 0) verdict.push(`${report.failed} ${report.failed === 1 ? 'test' : 'tests'} failed`);
  if (report.errors > 0) verdict.push(`${report.errors} ${report.errors === 1 ? 'error' : 'errors'}`);
  const others: string[] = [];
  if (report.passed !== null) others.push(`${report.passed} passed`);
  if (report.skipped) others.push(`${report.skipped} skipped`);
  const counts = `${verdict.join(', ')}${others.length > 0 ? ` (${others.join(', ')})` : ''}`;
  return report.failing.length > 0 ? `${counts}: ${listNames(report.failing)}` : counts;
}

function listNames(names: readonly string[]): string {
  const shown: string[] = [];
  let length = 0;
  for (const name of names) {
    const added = (shown.length > 0 ? 2 : 0) + name.length;
    if (shown.length > 0 && length + added > FAILING_NAMES_BUDGET) break;
    shown.push(name);
    length += added;
  }
  const more = names.length - shown.length;
  return more > 0 ? `${shown.join(', ')}, and ${more} more` : shown.join(', ');
}
