import { addName, causeAt, emptyRun, nextText, type TestRun, type TestRunFormat } from './test-run';

/** libtest's verdict, one per test binary (unit tests, each integration test, doc tests). */
const RESULT = /^test result: (?:ok|FAILED)\. (\d+) passed; (\d+) failed; (\d+) ignored; \d+ measured; \d+ filtered out/;
const FAILED_SUFFIX = ' ... FAILED';
/** What libtest appends to a test's name in its result line, not in its output block: `#[should_panic]`, a `compile_fail` doc test. */
const ATTRIBUTE_NOTE = / - (?:should panic|compile fail)$/;
/** `---- tests::name stdout ----`, where a failing test's output and panic are shown. */
const STDOUT_BLOCK = /^---- (.+) stdout ----$/;
/** `thread 'tests::x' (18452) panicked at src/lib.rs:26:9:` (Rust ≥ 1.73; the thread id since 1.92). */
const PANIC = /^thread '[^']*'(?: \(\d+\))? panicked at (.*)$/;

/** A doc test's name: `src/snake.rs - snake::AsSnakeCase (line 49)`; the crate's own docs: `src/lib.rs - (line 15)` (rustc-hash). */
const DOC_TEST = /^(\S+\.rs) - (?:.* )?\(line (\d+)\)$/;

/**
 * `cargo test` output: every `test result:` line summed (a run holds one per test binary;
 * `running 0 tests` everywhere means none ran). Failing tests are listed in the order their
 * output blocks appear, so the first named is the one whose panic is the cause.
 */
export function readCargoTest(lines: readonly string[]): TestRun | undefined {
  const run = emptyRun('cargo test');
  let found = false;
  let lastResult = -1;
  const failedLines: { line: number; name: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line.startsWith('test ')) continue;
    const result = RESULT.exec(line);
    if (result) {
      found = true;
      lastResult = i;
      run.passed = (run.passed ?? 0) + Number(result[1]);
      run.failed += Number(result[2]);
      run.skipped = (run.skipped ?? 0) + Number(result[3]);
    } else if (line.endsWith(FAILED_SUFFIX)) {
      failedLines.push({ line: i, name: line.slice('test '.length, -FAILED_SUFFIX.length).replace(ATTRIBUTE_NOTE, '') });
    }
  }
  if (!found) return undefined;
  const failed = new Set(failedLines.map(({ name }) => name));
  for (let i = 0; i < lines.length; i++) {
    const block = lines[i].startsWith('---- ') ? STDOUT_BLOCK.exec(lines[i]) : null;
    if (!block || !failed.has(block[1])) continue;
    addName(run, block[1]);
    if (run.firstFailure < 0) {
      run.firstFailure = i;
      run.cause = blockCause(lines, i + 1, block[1]);
    }
  }
  for (const { line, name } of failedLines) {
    addName(run, name);
    if (run.firstFailure < 0) run.firstFailure = line;
  }
  run.noneRan = (run.passed ?? 0) + run.failed === 0;
  if (run.noneRan) run.noneLine = lastResult;
  return run;
}

/**
 * The panic of a failing test's block: `src/lib.rs:26:9: assertion failed: …`, with
 * `assert_eq!`'s `left`/`right` values appended; Rust before 1.73 put the message first
 * (`panicked at 'msg', src/lib.rs:4:5`). Without a panic (a test returning `Err`), the block's
 * first line.
 */
function blockCause(lines: readonly string[], from: number, name: string): string {
  const end = blockEnd(lines, from);
  // A doc test's panic is located in the program rustdoc made of it, not in the file (heck's
  // doc test at src/snake.rs line 49 panicked "at src/snake.rs:8:1"): the test's own line is where it is.
  const doc = DOC_TEST.exec(name);
  for (let i = from; i < end; i++) {
    const panic = PANIC.exec(lines[i]);
    if (!panic) continue;
    const at = panic[1];
    if (at.startsWith("'")) {
      const split = at.lastIndexOf("', ");
      return split > 0 ? causeAt(at.slice(split + 3), at.slice(1, split)) : at;
    }
    const location = doc ? `${doc[1]}:${doc[2]}` : at.endsWith(':') ? at.slice(0, -1) : at;
    const m = nextText(lines, i + 1, end);
    if (m < 0) return location;
    let message = lines[m].trim();
    const left = /^ {2}left: (.*)$/.exec(lines[m + 1] ?? '');
    const right = /^ right: (.*)$/.exec(lines[m + 2] ?? '');
    if (left && right) message += ` (left: ${left[1]}, right: ${right[1]})`;
    return causeAt(location, message);
  }
  const first = nextText(lines, from, end);
  return first < 0 ? '' : lines[first].trim();
}

/** A block ends at the next block, or at the `failures:` list that follows the last one. */
function blockEnd(lines: readonly string[], from: number): number {
  for (let i = from; i < lines.length; i++) {
    if (STDOUT_BLOCK.test(lines[i]) || lines[i] === 'failures:') return i;
  }
  return lines.length;
}

/** cargo test: a test binary's `test result:` line. */
export const CARGO_TEST: TestRunFormat = {
  starts: 't',
  mark: (line) => line.startsWith('test result: ') && RESULT.test(line),
  read: readCargoTest,
};
