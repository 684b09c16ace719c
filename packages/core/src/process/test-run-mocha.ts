import { addName, causeAt, emptyRun, firstFrame, messageFrom, nextText, type TestRun, type TestRunFormat } from './test-run';

const PASSING = /^\s+(\d+) passing \(/;
const FAILING = /^\s+(\d+) failing$/;
const PENDING = /^\s+(\d+) pending$/;
const NO_TESTS = /^Error: No test files found/;
/** A failure in the closing list: `  2) isNumber` (its title goes on over indented lines up to one ending with `:`). */
const ENTRY = /^ {2}(\d+)\) (.+)$/;
/** Titles of nested suites take at most this many lines; a longer run is not a title. */
const MAX_TITLE_LINES = 12;

/**
 * Mocha's spec reporter: `N passing (…)`, `N pending`, `N failing`, then the numbered failures
 * (`1) suite` / `test:`), named `suite › test`. `Error: No test files found` means none ran.
 */
export function readMocha(lines: readonly string[]): TestRun | undefined {
  const run = emptyRun('mocha');
  let found = false;
  let failingAt = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const first = line.charAt(0);
    if (first !== ' ' && first !== 'E') continue;
    let match: RegExpExecArray | null;
    if ((match = PASSING.exec(line))) {
      found = true;
      run.passed = (run.passed ?? 0) + Number(match[1]);
    } else if ((match = FAILING.exec(line))) {
      found = true;
      run.failed += Number(match[1]);
      if (failingAt < 0) failingAt = i;
    } else if ((match = PENDING.exec(line))) {
      run.skipped = (run.skipped ?? 0) + Number(match[1]);
    } else if (NO_TESTS.test(line)) {
      found = true;
      run.noneLine = i;
    }
  }
  if (!found) return undefined;
  for (let i = failingAt < 0 ? lines.length : failingAt + 1; i < lines.length; i++) {
    const entry = ENTRY.exec(lines[i]);
    if (!entry) continue;
    const parts = [entry[2].trim()];
    let last = i;
    while (!parts[parts.length - 1].endsWith(':') && last + 1 < lines.length && parts.length < MAX_TITLE_LINES) {
      const next = lines[last + 1].trim();
      if (next === '') break;
      parts.push(next);
      last++;
    }
    if (!parts[parts.length - 1].endsWith(':')) continue;
    parts[parts.length - 1] = parts[parts.length - 1].slice(0, -1);
    addName(run, parts.join(' › '));
    if (run.firstFailure < 0) {
      run.firstFailure = i;
      run.cause = failureCause(lines, last + 1);
    }
    i = last;
  }
  run.noneRan = (run.passed ?? 0) + run.failed === 0;
  if (!run.noneRan) run.noneLine = -1;
  return run;
}

/** The failure's message (`AssertionError …: Expected values to be strictly equal: 3 !== 4`) at its first frame. */
function failureCause(lines: readonly string[], from: number): string {
  let end = from;
  while (end < lines.length && !ENTRY.test(lines[end])) end++;
  const m = nextText(lines, from, end);
  if (m < 0) return '';
  return causeAt(firstFrame(lines, m + 1, end), messageFrom(lines, m, end));
}

/** Mocha: `N passing (…)`, `N failing`, or `No test files found`. */
export const MOCHA: TestRunFormat = {
  starts: ' E',
  mark: (line) => (line.startsWith(' ') && (PASSING.test(line) || FAILING.test(line))) || NO_TESTS.test(line),
  read: readMocha,
};
