import { addName, causeAt, countOf, countParts, emptyRun, firstFrame, nextText, type TestRun, type TestRunFormat } from './test-run';

/** `Tests:       4 failed, 1 skipped, 4 passed, 9 total`. */
const TESTS = /^Tests:\s+(\S.*)$/;
const NO_TESTS = /^No tests found, exiting with code \d+$/;
/** A failure heading: `● describe › test`; `● Console` heads captured logs, not a failure. */
const HEADING = /^\s*● (.+)$/;
const SUITE_FAILED = 'Test suite failed to run';
/** The file heading of a test file's results: `FAIL src/a.test.js` (coloured: ` FAIL  src/a.test.js`). */
const FILE = /^\s*(?:FAIL|PASS) +(\S+)/;
const BLOCK_END = /^\s*●|^\s*(?:FAIL|PASS) |^Test Suites:|^-+\|/;

/**
 * Jest output: the `Tests:` line (summed when a command runs Jest more than once) and the
 * `● suite › test` failure headings. A test file that failed to run (`● Test suite failed to
 * run`) is an error named by its file. `No tests found` means none ran.
 */
export function readJest(lines: readonly string[]): TestRun | undefined {
  const run = emptyRun('jest');
  let found = false;
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i].charAt(0);
    if (first !== 'T' && first !== 'N') continue;
    const tests = TESTS.exec(lines[i]);
    const counts = tests ? countParts(tests[1], ', ') : undefined;
    if (counts?.has('total')) {
      found = true;
      run.passed = (run.passed ?? 0) + countOf(counts, 'passed');
      run.failed += countOf(counts, 'failed');
      run.skipped = (run.skipped ?? 0) + countOf(counts, 'skipped', 'todo');
    } else if (NO_TESTS.test(lines[i])) {
      found = true;
      run.noneLine = i;
    }
  }
  if (!found) return undefined;
  let file = '';
  for (let i = 0; i < lines.length; i++) {
    const heading = FILE.exec(lines[i]);
    if (heading) file = heading[1];
    const failure = HEADING.exec(lines[i]);
    if (!failure || failure[1] === 'Console') continue;
    const suiteFailed = failure[1] === SUITE_FAILED;
    const name = suiteFailed ? file : failure[1];
    if (run.listed.has(name)) continue;
    if (suiteFailed) run.errors++;
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
 * A failure's message with the first frame in the project (`src/a.test.js:8:27: expect(…)…`),
 * and `(Expected: …, Received: …)` when the matcher printed both on the next lines.
 */
function failureCause(lines: readonly string[], from: number): string {
  let end = from;
  while (end < lines.length && !BLOCK_END.test(lines[end])) end++;
  const m = nextText(lines, from, end);
  if (m < 0) return '';
  let message = lines[m].trim();
  const expected = nextText(lines, m + 1, end);
  const received = expected < 0 ? -1 : nextText(lines, expected + 1, end);
  if (received >= 0 && /^\s*Expected: /.test(lines[expected]) && /^\s*Received: /.test(lines[received])) {
    message += ` (${lines[expected].trim()}, ${lines[received].trim()})`;
  }
  return causeAt(firstFrame(lines, m + 1, end), message);
}

/** Jest: its `Tests:` line, or `No tests found`. */
export const JEST: TestRunFormat = { starts: 'TN', mark: (line) => line.startsWith('Tests:') || NO_TESTS.test(line), read: readJest };
