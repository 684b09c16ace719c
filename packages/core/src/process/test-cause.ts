import type { TestReport } from './test-report-schema';

/** How many characters of test names the counts line may hold before it says "and N more". */
export const FAILING_NAMES_BUDGET = 160;

/**
 * The counts line of a failing test run, naming the failing tests:
 * `3 tests failed (3 passed, 1 skipped): TestIsNumber/NaN, TestIsNumber/Infinity, TestWordCount`,
 * `2 errors (1 passed): test_store.py::test_query, test_store.py::test_ping`. Names are listed
 * while they fit in `FAILING_NAMES_BUDGET` characters (the first always), then `and N more`;
 * when not all fit, the first failure of each file comes first (see `byFile`).
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

/** The file part of a test's name (`test/a.test.ts > suite > test`, `tests/x.py::test_y`, `a.test.js › title`), or the whole name. */
const fileOf = (name: string): string => /^(.+?)(?: > | › |::)/.exec(name)?.[1] ?? name;

/**
 * The names in the order they are listed when not all fit: the first failure of each file (or
 * outer suite), then the others, so that a test the change broke is named though older failures
 * of another file fill the line.
 */
function byFile(names: readonly string[]): string[] {
  const seen = new Set<string>();
  const first: string[] = [];
  const rest: string[] = [];
  for (const name of names) {
    const file = fileOf(name);
    (seen.has(file) ? rest : first).push(name);
    seen.add(file);
  }
  return [...first, ...rest];
}

/** The longest test name the counts line shows whole; longer ones (pytest's parameter ids) are cut, whole in the report. */
export const FAILING_NAME_MAX = 100;
const shortName = (name: string): string => (name.length > FAILING_NAME_MAX ? `${name.slice(0, FAILING_NAME_MAX - 1)}…` : name);

function listNames(full: readonly string[]): string {
  const all = full.map(shortName);
  const fits = all.reduce((n, name, i) => n + name.length + (i > 0 ? 2 : 0), 0) <= FAILING_NAMES_BUDGET;
  const names = fits ? all : byFile(all);
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
