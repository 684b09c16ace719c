import { addName, causeAt, doctestFailure, emptyRun, nextText, type TestRun, type TestRunFormat } from './test-run';

const RAN = /^Ran (\d+) tests? in \d+(?:\.\d+)?s$/;
/** `OK`, `OK (skipped=1)`, `FAILED (failures=1, errors=1)`, `NO TESTS RAN` (Python ≥ 3.12). */
const VERDICT = /^(OK|FAILED|NO TESTS RAN)(?: \(([^()]*)\))?$/;
const SEPARATOR = /^={20,}$/;
const DASHES = /^-{20,}$/;
/** A failure block's heading: `FAIL: test_pop (test_stack.StackTest.test_pop)`, `ERROR: setUpClass (m.C)`. */
const HEADING = /^(FAIL|ERROR|UNEXPECTED SUCCESS): (\S+) \(([^()]+)\)(.*)$/;
const FRAME = /^\s*File "(.+)", line (\d+)/;
/** The exception line that ends a traceback: `AssertionError: 1 != 2`, `KeyboardInterrupt`. */
const EXCEPTION = /^[A-Za-z_][\w.]*(?::|$)/;

/**
 * `python -m unittest` output: `Ran N tests in …` and its verdict line, summed over runs. Names
 * are the test ids (`test_stack.StackTest.test_pop_order`); Python ≤ 3.10 writes the method
 * before the class (`test_pop_order (test_stack.StackTest)`), which is turned into the same id.
 * Expected failures count as skipped, unexpected successes as failures.
 */
export function readUnittest(lines: readonly string[]): TestRun | undefined {
  const run = emptyRun('unittest');
  let ran = 0;
  let found = false;
  let ranLine = -1;
  for (let i = 0; i < lines.length; i++) {
    const match = lines[i].startsWith('Ran ') ? RAN.exec(lines[i]) : null;
    if (!match) continue;
    const v = nextText(lines, i + 1);
    const verdict = v < 0 ? null : VERDICT.exec(lines[v].trim());
    if (!verdict) continue;
    found = true;
    ranLine = i;
    ran += Number(match[1]);
    const counts = keyCounts(verdict[2] ?? '');
    run.failed += (counts.get('failures') ?? 0) + (counts.get('unexpected successes') ?? 0);
    run.errors += counts.get('errors') ?? 0;
    run.skipped = (run.skipped ?? 0) + (counts.get('skipped') ?? 0) + (counts.get('expected failures') ?? 0);
  }
  if (!found) return undefined;
  run.passed = Math.max(0, ran - run.failed - run.errors - (run.skipped ?? 0));
  readBlocks(lines, run);
  run.noneRan = run.passed + run.failed + run.errors === 0;
  if (run.noneRan) run.noneLine = ranLine;
  return run;
}

/** `failures=1, errors=1, expected failures=2` as a map. */
function keyCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const part of text.split(', ')) {
    const eq = part.indexOf('=');
    if (eq > 0) counts.set(part.slice(0, eq).trim(), Number(part.slice(eq + 1)));
  }
  return counts;
}

/** Names from the failure blocks, and the first block's exception with its deepest frame. */
function readBlocks(lines: readonly string[], run: TestRun): void {
  for (let i = 1; i < lines.length; i++) {
    if (!SEPARATOR.test(lines[i - 1])) continue;
    const heading = HEADING.exec(lines[i]);
    if (!heading) continue;
    addName(run, testId(heading[2], heading[3]) + heading[4]);
    if (run.firstFailure < 0) {
      run.firstFailure = i;
      run.cause = blockCause(lines, i + 1);
    }
  }
}

/** `test_x` and `m.C.test_x` (3.11+) or `m.C` (≤ 3.10) → `m.C.test_x`. */
function testId(method: string, qualified: string): string {
  return qualified === method || qualified.endsWith(`.${method}`) ? qualified : `${qualified}.${method}`;
}

/** A doctest's place in doctest's report: `File "/abs/pkg/strutils.py", line 4, in pkg.strutils.camel2under`. */
const DOCTEST_PLACE = /^File "(.+)", line (\d+), in \S+$/;

/**
 * The exception that ends the block's traceback, after its deepest `file:line`. The block's
 * heading may be followed by the test's docstring (`Test basic usage`, or `Doctest: pkg.m.f`)
 * above the dashes. A doctest's traceback is doctest's own (`Failed doctest test for …`): its
 * report below the next dashes gives the example's line and what it expected and got, or raised.
 */
function blockCause(lines: readonly string[], from: number): string {
  let start = from;
  for (let i = from; i < lines.length && i < from + 8 && !SEPARATOR.test(lines[i]); i++) {
    if (DASHES.test(lines[i])) {
      start = i + 1;
      break;
    }
  }
  let location: string | undefined;
  for (let i = start; i < lines.length && !SEPARATOR.test(lines[i]) && !DASHES.test(lines[i]); i++) {
    const frame = FRAME.exec(lines[i]);
    if (frame) location = `${frame[1]}:${frame[2]}`;
    else if (location && EXCEPTION.test(lines[i])) {
      const cause = causeAt(location, lines[i].trim());
      return lines[i].startsWith('AssertionError: Failed doctest test for ') ? (doctestCause(lines, i + 1) ?? cause) : cause;
    }
  }
  return '';
}

/** doctest's report after the dashes that follow its traceback: `path:line: expected …, got …`. */
function doctestCause(lines: readonly string[], from: number): string | undefined {
  let i = from;
  while (i < lines.length && !SEPARATOR.test(lines[i]) && !DASHES.test(lines[i])) i++;
  const place = i + 1 < lines.length ? DOCTEST_PLACE.exec(lines[i + 1]) : null;
  if (!place) return undefined;
  const failure = doctestFailure(lines, i + 2, (line) => SEPARATOR.test(line) || DASHES.test(line));
  return failure === undefined ? undefined : causeAt(`${place[1]}:${place[2]}`, failure);
}

/** unittest: `Ran N tests in …`. */
export const UNITTEST: TestRunFormat = { starts: 'R', mark: (line) => line.startsWith('Ran ') && RAN.test(line), read: readUnittest };
