/** The test runners whose output Factory reads. */
export const TEST_RUNNERS = [
  'go test',
  'pytest',
  'unittest',
  'cargo test',
  'jest',
  'vitest',
  'mocha',
  'node --test',
  'tape',
  'tap',
  'ava',
  'uvu',
] as const;
export type TestRunner = (typeof TEST_RUNNERS)[number];

/**
 * What one runner's output says, summed over every run of that runner in the output (Go
 * prints one result per package, cargo one per test binary, jest one per invocation).
 */
export interface TestRun {
  runner: TestRunner;
  /** Null when the output does not say (`go test` without `-v` prints no passing tests). */
  passed: number | null;
  failed: number;
  /** Tests or test files that errored outside a test body: pytest setup/teardown, unittest errors, suites that failed to run, Go packages that did not build. */
  errors: number;
  /** Skipped, ignored, pending, todo and expected failures; null when the output does not say. */
  skipped: number | null;
  /** The failing (and erroring) tests, in output order, as the runner names them. */
  failing: string[];
  /** The names in `failing`, for `addName`. */
  readonly listed: Set<string>;
  /** Nothing passed, failed or errored: the runner found no tests, or every test was skipped. */
  noneRan: boolean;
  /** Index of the line that reports the first failure, or -1. */
  firstFailure: number;
  /** The first failure's cause on one line (`file:line: message` where the runner gives both), or ''. */
  cause: string;
  /** Lines that state the root cause better than the counts do (Go's test-timeout panic). */
  headline?: string[];
  /** Index of the runner's own line saying that no tests ran, or -1. */
  noneLine: number;
}

/** Reads one runner's runs from output lines; undefined when the output holds none of its results. */
export type TestRunReader = (lines: readonly string[]) => TestRun | undefined;

/**
 * A runner's reader and the cheap test for a line only that runner prints (its closing counts,
 * a package verdict): the reader runs only when some line passes it, so a long build log costs
 * one pass of character checks rather than one pass per runner.
 */
export interface TestRunFormat {
  /** Every character a marked line can start with (the only lines `mark` is asked about). */
  starts: string;
  mark: (line: string) => boolean;
  read: TestRunReader;
}

/** A run with no results yet, for readers to fill in. */
export function emptyRun(runner: TestRunner): TestRun {
  return {
    runner,
    passed: 0,
    failed: 0,
    errors: 0,
    skipped: 0,
    failing: [],
    listed: new Set(),
    noneRan: false,
    firstFailure: -1,
    cause: '',
    noneLine: -1,
  };
}

/** Lists a failing test unless it is already listed (runners repeat failures in closing summaries). */
export function addName(run: TestRun, name: string): void {
  if (name === '' || run.listed.has(name)) return;
  run.listed.add(name);
  run.failing.push(name);
}

/**
 * Counts written as `N word` parts (`4 failed, 1 skipped, 4 passed, 9 total`), keyed by word.
 * Undefined when a part is not a count, so a line that merely looks similar is not taken.
 */
export function countParts(text: string, separator: string): Map<string, number> | undefined {
  const counts = new Map<string, number>();
  for (const part of text.split(separator)) {
    const match = /^(\d+) ([a-z][a-z ]*)$/.exec(part.trim());
    if (!match) return undefined;
    counts.set(match[2], (counts.get(match[2]) ?? 0) + Number(match[1]));
  }
  return counts;
}

/** The sum of the counts of the given words. */
export function countOf(counts: ReadonlyMap<string, number>, ...words: string[]): number {
  return words.reduce((sum, word) => sum + (counts.get(word) ?? 0), 0);
}

/** `location: message`, or the message alone when there is no location. */
export function causeAt(location: string | undefined, message: string): string {
  if (message === '') return location ?? '';
  return location ? `${location}: ${message}` : message;
}

/**
 * A message line, joined with the next non-blank line when it ends with `:` (node's assert
 * messages: `Expected values to be strictly equal:` then `true !== false`). Searches no further
 * than `end`.
 */
export function messageFrom(lines: readonly string[], start: number, end = lines.length): string {
  const first = nextText(lines, start, end);
  if (first < 0) return '';
  const message = lines[first].trim();
  if (!message.endsWith(':')) return message;
  const second = nextText(lines, first + 1, end);
  return second < 0 ? message : `${message} ${lines[second].trim()}`;
}

/** A traceback's last line: the exception raised (`AttributeError: …`, `pkg.errors.ParseError: …`). */
const PYTHON_EXCEPTION = /^(?:[A-Za-z_]\w*\.)*[A-Z]\w*(?:Error|Exception|Exit|Interrupt)\b.*$/;

/**
 * What a failed Python doctest example says from `from` (doctest's own report, as pytest and
 * unittest print it) up to the first line `stop` accepts: `expected 'a_b', got 'ab'` from its
 * `Expected:` and `Got:` blocks (the first line of each, `…` where there are more), else the
 * exception the example raised (`Exception raised:` or pytest's `UNEXPECTED EXCEPTION:` and a
 * traceback); undefined when it says neither.
 */
export function doctestFailure(lines: readonly string[], from: number, stop: (line: string) => boolean): string | undefined {
  const block: Record<'Expected:' | 'Got:', string[]> = { 'Expected:': [], 'Got:': [] };
  let into: string[] | undefined;
  let raised: string | undefined;
  for (let i = from; i < lines.length && !stop(lines[i]); i++) {
    const line = lines[i];
    if (line === 'Expected:' || line === 'Got:') into = block[line];
    else if (into && /^\s/.test(line)) {
      if (line.trim() !== '') into.push(line.trim());
    } else {
      into = undefined;
      if (line === 'Got nothing') block['Got:'].push('nothing');
      else if (PYTHON_EXCEPTION.test(line.trim())) raised = line.trim();
    }
  }
  const first = (texts: string[]) => `${texts[0] ?? ''}${texts.length > 1 ? ' …' : ''}`;
  if (block['Expected:'].length || block['Got:'].length) return `expected ${first(block['Expected:'])}, got ${first(block['Got:'])}`;
  return raised;
}

/** Index of the first non-blank line in `[from, end)`, or -1. */
export function nextText(lines: readonly string[], from: number, end = lines.length): number {
  for (let i = from; i < end && i < lines.length; i++) {
    if (lines[i].trim() !== '') return i;
  }
  return -1;
}

/**
 * The `file:line:col` of a JavaScript stack frame (`at fn (file:///x/a.test.js:8:10)`, `at
 * x/a.js:3:1`; ava 3 writes `› fn (file://a.js:4:30)`), without `file://`; undefined for frames in
 * node_modules or node's internals.
 */
export function frameLocation(line: string): string | undefined {
  const text = line.trim();
  const mark = text.startsWith('at ') ? 3 : text.startsWith('› ') ? 2 : 0;
  if (mark === 0) return undefined;
  const open = text.lastIndexOf('(');
  let location = text.endsWith(')') && open >= 0 ? text.slice(open + 1, -1) : text.slice(mark);
  if (location.startsWith('file://')) location = location.slice('file://'.length);
  if (!/:\d+:\d+$/.test(location) || location.startsWith('node:') || location.includes('node_modules/')) return undefined;
  return location;
}

/** The first frame location in `[from, end)` (see `frameLocation`). */
export function firstFrame(lines: readonly string[], from: number, end: number): string | undefined {
  for (let i = from; i < end && i < lines.length; i++) {
    const location = frameLocation(lines[i]);
    if (location) return location;
  }
  return undefined;
}
