import { addName, causeAt, emptyRun, firstFrame, nextText, type TestRun, type TestRunFormat } from './test-run';

/** A test's line: `✔ title`, `✔ title (1.2s)`, `✔ [expected fail] title`. */
const PASS = /^\s+✔ (\[expected fail\] )?(.+?)(?: \(\d[\d.]*m?s\))?$/;
/** A failing test's line: `✘ [fail]: title`, then the error's message when it has one (`… Error thrown in test`). */
const FAIL = /^\s+✘ \[(?:fail|unexpected pass)\]: (.+)$/;
/**
 * ava 3's: `✖ title ` (one space: XO's findings are `✖  3:7`). Only read where ava's closing
 * counts mark the output as ava's: `node --test`'s reporter writes `✖ title (1.3ms)` too.
 */
const FAIL_AVA3 = /^\s+✖ (?!\s)(.+?)\s*$/;
/** A skipped or todo test: `- [skip] title`, `- [todo] title`; ava 3's `- title`, among the test lines only (a diff's lines look the same). */
const SKIP = /^\s+- (?:\[(?:skip|todo)\] )?\S/;
/** The closing counts: `21 tests passed`, `2 tests failed`, `1 test skipped`, `1 test todo`, `1 known failure`, `1 uncaught exception`. */
const COUNT = /^\s+(\d+) (tests? (passed|failed|skipped|todo)|known failures?|uncaught exceptions?|unhandled rejections?)$/;
/** A test file that failed outside its tests: it did not load, exited, or found no tests. */
const FILE_ERROR =
  /^\s+[✘✖] (?:.+ exited (?:due to|with a non-zero exit code)|No tests found in |Internal error|Timed out while running tests)/;
/** ava's own line when it ran nothing. */
const NONE = /^\s+[✘✖] Couldn’t find any (?:files to test|matching tests)/;
/** The rule between the test lines, the failures' details and the counts. */
const RULE = /^\s+─$/;
/** ava 3's description of a thrown error: `SyntaxError {`, then `message: 'no \'=\' in a1',`. */
const THROWN_OBJECT = /^\s+([A-Z][\w$]*) \{$/;
const THROWN_MESSAGE = /^\s+message: '(.*)',?$/;
/** ava's excerpt header of an assertion: `strutil.test.js:5`. */
const SOURCE = /^\s+(\S+:\d+)$/;
/** ava's diff of a failed comparison: `- 3` (actual) and `+ 4` (expected). */
const ACTUAL = /^\s+- (.+)$/;
const EXPECTED = /^\s+\+ (.+)$/;

/**
 * ava's default reporter: a line per test (`✔`, `✘ [fail]:`, `- [skip]`; ava 3: `✖`, `- `), a rule, each failure's
 * details under its title, a rule, then the counts (`4 tests passed`; when a test fails ava leaves
 * the passed count out, so the `✔` lines are counted). Failing tests are named as ava names them
 * (`file › title` when there are several test files); the cause is the assertion's place with its
 * actual and expected values, or the thrown error at its first frame outside node_modules.
 */
export function readAva(lines: readonly string[]): TestRun | undefined {
  const run = emptyRun('ava');
  const closing = new Map<string, number>();
  let found = false;
  let ticks = 0;
  let expectedFails = 0;
  let skips = 0;
  let fileErrors = 0;
  const failLines: number[] = [];
  // The test lines come before the first rule; the failures' details (diffs, `✖` in messages) after it.
  let ruled = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.charAt(0) !== ' ') continue;
    let m: RegExpExecArray | null;
    if (RULE.test(line)) ruled = true;
    else if ((m = PASS.exec(line))) {
      if (m[1]) expectedFails++;
      else ticks++;
    } else if (FILE_ERROR.test(line)) {
      found = true;
      fileErrors++;
    } else if (NONE.test(line)) {
      found = true;
      run.noneLine = i;
    } else if (!ruled && (FAIL.test(line) || FAIL_AVA3.test(line))) {
      found = true;
      failLines.push(i);
    } else if (!ruled && SKIP.test(line)) skips++;
    else if ((m = COUNT.exec(line))) {
      found = true;
      const word = m[3] ?? m[2].replace(/s$/, '');
      closing.set(word, (closing.get(word) ?? 0) + Number(m[1]));
    }
  }
  if (!found) return undefined;
  run.passed = closing.get('passed') ?? ticks;
  run.failed = Math.max(closing.get('failed') ?? 0, failLines.length);
  run.errors = fileErrors + (closing.get('uncaught exception') ?? 0) + (closing.get('unhandled rejection') ?? 0);
  const closingSkips = (closing.get('skipped') ?? 0) + (closing.get('todo') ?? 0) + (closing.get('known failure') ?? 0);
  run.skipped = Math.max(closingSkips, skips + expectedFails);
  run.noneRan = run.passed + run.failed + run.errors === 0;
  // Each failure's details open with its title on a line of its own, below every failing line.
  const standalone = new Set<string>();
  for (let i = (failLines[0] ?? lines.length) + 1; i < lines.length; i++) standalone.add(lines[i].trim());
  const failures = failLines.map((at) => {
    const text = (FAIL.exec(lines[at]) ?? FAIL_AVA3.exec(lines[at]))?.[1] ?? '';
    const title = titleOf(standalone, text);
    return { at, title, message: text.slice(title.length).trim() };
  });
  for (const f of failures) addName(run, f.title);
  const first = failures[0];
  if (first) {
    run.firstFailure = first.at;
    run.cause = cause(lines, first, new Set(failures.map((f) => f.title)));
  }
  return run;
}

/**
 * The test's title in `✘ [fail]: <title> <message>`: the longest start of it that ava prints on a
 * line of its own further down (`standalone`), else the whole text.
 */
function titleOf(standalone: ReadonlySet<string>, text: string): string {
  for (let end = text.length; end > 0; end = text.lastIndexOf(' ', end - 1)) {
    if (standalone.has(text.slice(0, end))) return text.slice(0, end);
  }
  return text;
}

/** The failure's details: from its title line after the first rule to the next rule or failing test's title. */
function cause(
  lines: readonly string[],
  { at, title, message }: { at: number; title: string; message: string },
  titles: Set<string>,
): string {
  let start = -1;
  let inDetails = false;
  for (let i = at + 1; i < lines.length; i++) {
    if (RULE.test(lines[i])) {
      if (inDetails) break;
      inDetails = true;
    } else if (inDetails && lines[i].trim() === title) {
      start = i + 1;
      break;
    }
  }
  if (start < 0) return message;
  let end = start;
  while (end < lines.length && !RULE.test(lines[end]) && !titles.has(lines[end].trim())) end++;
  let source: string | undefined;
  let actual: string | undefined;
  let expected: string | undefined;
  let thrown = '';
  let described = '';
  for (let i = start; i < end; i++) {
    const line = lines[i];
    source ??= SOURCE.exec(line)?.[1];
    if (lines[i - 1]?.trim() === '' && actual === undefined && ACTUAL.test(line) && EXPECTED.test(lines[i + 1] ?? '')) {
      actual = ACTUAL.exec(line)?.[1];
      expected = EXPECTED.exec(lines[i + 1])?.[1];
    }
    // The error's own line, just above its stack: `SyntaxError: Expected property name …`.
    if (!thrown && /^\s+at /.test(lines[i + 1] ?? '') && !/^\s+at /.test(line) && line.trim() !== '') thrown = line.trim();
    const object = THROWN_OBJECT.exec(line);
    const said = object ? THROWN_MESSAGE.exec(lines[i + 1] ?? '') : null;
    if (!described && object && said) described = `${object[1]}: ${said[1].replace(/\\(['\\])/g, '$1')}`;
  }
  // ava 3 prints no stack, only the error as an object and its frames (`› parse (file://a.js:4:30)`).
  thrown ||= described;
  if (thrown) return causeAt(firstFrame(lines, start, end) ?? source, thrown);
  source ??= firstFrame(lines, start, end)?.replace(/:\d+$/, '');
  const values = expected !== undefined && actual !== undefined ? `expected ${expected}, actual ${actual}` : '';
  const text = [message, values].filter(Boolean).join(' ');
  return causeAt(source, text || (lines[nextText(lines, start, end)]?.trim() ?? ''));
}

/** ava: its closing counts (`21 tests passed`), a failing test's `✘ [fail]:` (`✖`) line, or its "Couldn’t find any files to test". */
export const AVA: TestRunFormat = {
  starts: ' ',
  mark: (line) => COUNT.test(line) || FAIL.test(line) || NONE.test(line),
  read: readAva,
};
