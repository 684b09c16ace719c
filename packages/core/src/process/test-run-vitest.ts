import { addName, causeAt, countOf, countParts, emptyRun, nextText, type TestRun, type TestRunFormat } from './test-run';

/** `      Tests  4 failed | 4 passed | 1 skipped (9)` (trimmed before matching). */
const TESTS = /^Tests {2}(\S.*) \(\d+\)$/;
/** `      Errors  1 error`: errors thrown outside any test. */
const ERRORS = /^Errors {2}(\d+) errors?\b/;
const NO_TESTS = /^No test files found, exiting with code \d+$/;
/** A failure heading: ` FAIL  src/a.test.js > describe > test`; a file that failed to load: ` FAIL  src/a.test.js [ src/a.test.js ]`. */
const HEADING = 'FAIL  ';
/** `❯ src/a.test.js:9:27` under a failure's message. */
const LOCATION = /^❯ (\S+:\d+:\d+)$/;
/** The `⎯⎯⎯[1/4]⎯` rule between failures, and the closing counts. */
const BLOCK_END = /^⎯|^FAIL {2}|^Test Files {2}/;

/**
 * Vitest output: the `Tests` line (summed over runs) and the `FAIL  file > suite > test`
 * headings of its failure report. A test file that failed to load is an error named by its
 * file, a suite that failed outside its tests (its `beforeAll`) one named by the suite, as are
 * errors Vitest reports outside tests. `No test files found` means none ran.
 */
export function readVitest(lines: readonly string[]): TestRun | undefined {
  const run = emptyRun('vitest');
  let found = false;
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].includes('Tests  ') && !lines[i].includes('Errors  ') && !lines[i].includes('No test files found')) continue;
    const line = lines[i].trim();
    const tests = TESTS.exec(line);
    const counts = tests ? countParts(tests[1], ' | ') : undefined;
    if (counts) {
      found = true;
      run.passed = (run.passed ?? 0) + countOf(counts, 'passed');
      run.failed += countOf(counts, 'failed');
      run.skipped = (run.skipped ?? 0) + countOf(counts, 'skipped', 'todo');
      continue;
    }
    const errors = ERRORS.exec(line);
    if (errors) run.errors += Number(errors[1]);
    else if (NO_TESTS.test(line)) {
      found = true;
      run.noneLine = i;
    }
  }
  if (!found) return undefined;
  // Under `Failed Suites`: a file that failed to load, or a suite whose own code or hooks
  // (beforeAll) threw: errors outside a test body, which Vitest's Tests line does not count.
  let inSuites = false;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].includes('Failed Suites ')) inSuites = true;
    else if (lines[i].includes('Failed Tests ')) inSuites = false;
    if (!lines[i].includes(HEADING)) continue;
    const line = lines[i].trim();
    if (!line.startsWith(HEADING)) continue;
    const title = line.slice(HEADING.length).trim();
    const loadFailure = fileThatFailed(title);
    const name = loadFailure ?? title;
    if (run.listed.has(name)) continue;
    if (loadFailure !== undefined || inSuites) run.errors++;
    addName(run, name);
    if (run.firstFailure < 0) {
      run.firstFailure = i;
      run.cause = failureCause(lines, i + 1);
    }
  }
  run.noneRan = (run.passed ?? 0) + run.failed + run.errors === 0;
  if (!run.noneRan) run.noneLine = -1;
  return run;
}

/**
 * The file of a heading that says a file failed to load (`src/a.test.js [ src/a.test.js ]`, with a
 * project's name before it in a workspace: `|unit| src/a.test.js [ src/a.test.js ]`); undefined
 * for a test, whose title may hold brackets of its own (scule's `test.each`: `fooBar => [ 'foo', 'Bar' ]`).
 */
function fileThatFailed(title: string): string | undefined {
  const bracket = title.lastIndexOf(' [ ');
  if (bracket <= 0 || !title.endsWith(' ]')) return undefined;
  const before = title.slice(0, bracket);
  const file = title.slice(bracket + 3, -2);
  return before === file || before.endsWith(` ${file}`) ? before : undefined;
}

/** The failure's first message line, after the `❯ file:line:col` printed under it. */
function failureCause(lines: readonly string[], from: number): string {
  let end = from;
  while (end < lines.length && !BLOCK_END.test(lines[end].trim())) end++;
  const m = nextText(lines, from, end);
  if (m < 0) return '';
  let location: string | undefined;
  for (let i = m + 1; i < end && !location; i++) location = LOCATION.exec(lines[i].trim())?.[1];
  return causeAt(location, lines[m].trim());
}

/** Vitest: its `Tests  … (N)` line, or `No test files found`. */
export const VITEST: TestRunFormat = {
  starts: ' TN',
  mark: (line) => (line.endsWith(')') && line.includes('Tests  ') && TESTS.test(line.trim())) || NO_TESTS.test(line),
  read: readVitest,
};
