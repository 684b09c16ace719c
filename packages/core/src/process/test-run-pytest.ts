import { addName, causeAt, countOf, countParts, doctestFailure, emptyRun, nextText, type TestRun, type TestRunFormat } from './test-run';

/** The end of pytest's closing line: `in 0.04s`, optionally `(0:01:02)`. */
const DURATION = / in \d+(?:\.\d+)?s(?: \(\d+:\d\d:\d\d\))?$/;
const PYTEST_WORDS = new Set([
  'passed',
  'failed',
  'error',
  'errors',
  'skipped',
  'xfailed',
  'xpassed',
  'deselected',
  'warning',
  'warnings',
  'rerun',
]);
const SHORT_SUMMARY = /^=+ short test summary info =+$/;
/** A section's rule (`==== … ====`), the closing line's too. */
const SECTION_RULE = /^={3,}/;
const SECTION = /^=+ (FAILURES|ERRORS) =+$/;
/** `E       AssertionError: …` (long tracebacks indent more than `--tb=short`). */
const E_LINE = /^E {2,}\S/;
/** Where the exception was raised, after the `E` block: `tests/test_x.py:11: AssertionError`, or just `path:4`. */
const RAISED_AT = /^(\S+:\d+)(?:: [A-Za-z_][\w.]*)?$/;

/**
 * pytest output (also for unittest TestCases it runs), read from its closing line
 * (`4 failed, 3 passed, 1 skipped in 0.04s`, or `no tests ran in 0.00s`) and its short test
 * summary (`FAILED nodeid - message`, `ERROR nodeid`). A module that could not be collected is
 * an error, as pytest counts it, named by its path, its exception the cause. xpassed counts as
 * passed, xfailed as skipped.
 */
export function readPytest(lines: readonly string[]): TestRun | undefined {
  const run = emptyRun('pytest');
  let closing = -1;
  let errors = 0;
  for (let i = 0; i < lines.length; i++) {
    const counts = closingCounts(lines[i]);
    if (!counts) continue;
    closing = i;
    run.passed = (run.passed ?? 0) + countOf(counts, 'passed', 'xpassed');
    run.failed += countOf(counts, 'failed');
    errors += countOf(counts, 'error', 'errors');
    run.skipped = (run.skipped ?? 0) + countOf(counts, 'skipped', 'xfailed');
  }
  if (closing < 0) return undefined;
  readNames(lines, run);
  run.errors = errors;
  readFirstFailure(lines, run);
  run.noneRan = (run.passed ?? 0) + run.failed + run.errors === 0;
  if (run.noneRan) run.noneLine = closing;
  return run;
}

/** The counts of a closing line, empty for `no tests ran`; undefined for any other line. */
function closingCounts(line: string): Map<string, number> | undefined {
  if (!mayClose(line)) return undefined;
  const text = line.trim().replace(/^=+ /, '').replace(/ =+$/, '');
  const duration = DURATION.exec(text);
  if (!duration) return undefined;
  const head = text.slice(0, duration.index);
  if (head === 'no tests ran') return new Map();
  const counts = countParts(head, ', ');
  if (!counts || [...counts.keys()].some((word) => !PYTEST_WORDS.has(word))) return undefined;
  return counts;
}

/**
 * Failing tests from the short test summary, in its order (its other outcomes, `-rA`, and the
 * lines that continue a message left out); without one (`-rN`), from the
 * section titles of the report. A module that could not be collected is named by its path.
 */
function readNames(lines: readonly string[], run: TestRun): void {
  let inSummary = false;
  let summarised = false;
  for (const line of lines) {
    if (SHORT_SUMMARY.test(line)) {
      inSummary = summarised = true;
      continue;
    }
    if (!inSummary) continue;
    const kind = line.startsWith('FAILED ') ? 'FAILED ' : line.startsWith('ERROR ') ? 'ERROR ' : undefined;
    if (!kind) {
      // The summary ends at the closing line (or another section). Every other line continues a
      // message: under CI (as stages run) pytest does not cut messages to one line, and an
      // assertion's diff or an exception's second line starts anywhere, the first column too.
      if (SECTION_RULE.test(line) || closingCounts(line)) inSummary = false;
      continue;
    }
    const rest = line.slice(kind.length);
    const dash = rest.indexOf(' - ');
    const id = dash < 0 ? rest.trim() : rest.slice(0, dash);
    // `ERROR ` with no node id: the session itself (a conftest.py that failed while collecting).
    addName(run, id.trim() === '' ? 'test session' : id);
  }
  if (summarised) return;
  for (const { title } of sectionTitles(lines)) addName(run, title.replace(/^ERROR (?:at (?:setup|teardown) of|collecting) /, ''));
}

/**
 * A test's title line in those sections: `____ title ____`, or `_ title _` when the title nearly
 * fills the line (markupsafe's long parameter ids); not the `_ _ _ _` between traceback entries.
 */
const SECTION_TITLE = /^_+ (.*[^_ ].*) _+$/;

/** The title lines inside the FAILURES and ERRORS sections. */
function sectionTitles(lines: readonly string[]): { line: number; title: string }[] {
  const titles: { line: number; title: string }[] = [];
  let inSection = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('=')) inSection = SECTION.test(line);
    else if (inSection && line.startsWith('_')) {
      const title = SECTION_TITLE.exec(line)?.[1];
      if (title !== undefined && !/^[_ ]+$/.test(title)) titles.push({ line: i, title });
    }
  }
  return titles;
}

/** Between the tracebacks of a chained exception: the exception that failed the test comes last. */
const CHAINED =
  /^(?:The above exception was the direct cause of the following exception:|During handling of the above exception, another exception occurred:)$/;

/**
 * The first failure's cause from the report body: its first `E` line (of the last traceback when
 * exceptions are chained, as the short summary names it), after the location where the
 * exception was raised (`app/config.py:10: KeyError: 'port'`). Setup and teardown errors name
 * their test instead (`ERROR at setup of test_query: fixture 'db' not found`).
 */
function readFirstFailure(lines: readonly string[], run: TestRun): void {
  const first = sectionTitles(lines)[0];
  if (!first) return;
  run.firstFailure = first.line;
  let e = -1;
  for (let i = first.line + 1; i < lines.length && !isBoundary(lines[i]); i++) {
    if (CHAINED.test(lines[i])) e = -1;
    else if (e < 0 && E_LINE.test(lines[i])) e = i;
  }
  if (e < 0) {
    if (first.title.startsWith('[doctest] ')) run.cause = doctestCause(lines, first.line + 1);
    // An error pytest raised itself, not from a traceback (docopt's conftest.py constructing a node
    // directly: `Direct construction of … has been deprecated`): its message is the section's first line.
    else if (first.title.startsWith('ERROR collecting ')) {
      const body = nextText(lines, first.line + 1, lines.length);
      if (body >= 0 && !isBoundary(lines[body])) run.cause = lines[body].trim();
    }
    return;
  }
  if (first.title.startsWith('ERROR collecting ')) {
    run.cause = collectionCause(lines, e);
    return;
  }
  const message = lines[e].slice(1).trim();
  if (first.title.startsWith('ERROR at ')) {
    run.cause = `${first.title}: ${message}`;
    return;
  }
  let after = e + 1;
  while (after < lines.length && (E_LINE.test(lines[after]) || lines[after].trim() === '')) after++;
  const raised = after < lines.length ? RAISED_AT.exec(lines[after]) : null;
  run.cause = causeAt(raised?.[1], message);
}

/** Where a doctest failed: `/abs/pkg/strutils.py:4: DocTestFailure` (or `UnexpectedException`). */
const DOCTEST_AT = /^(\S+:\d+): (?:DocTestFailure|UnexpectedException)$/;

/**
 * A failing doctest's cause (its report has no `E` lines): the example's expected and actual
 * output, or the exception it raised, at the line of the example.
 */
function doctestCause(lines: readonly string[], from: number): string {
  let end = from;
  while (end < lines.length && !isBoundary(lines[end]) && !DOCTEST_AT.test(lines[end])) end++;
  const at = end < lines.length ? DOCTEST_AT.exec(lines[end])?.[1] : undefined;
  return causeAt(at, doctestFailure(lines, from, (line) => DOCTEST_AT.test(line) || isBoundary(line)) ?? '');
}

/** The exception of an `E` block: `E   SyntaxError: invalid syntax`, `E   ModuleNotFoundError: No module named 'x'`. */
const EXCEPTION = /^E\s+((?:[A-Za-z_]\w*\.)*[A-Z]\w*(?:Error|Exception|Exit|Interrupt)\b.*)$/;
/** A syntax error's place in its `E` block: `E     File "/abs/pkg/bad.py", line 1`. */
const E_FILE = /^E\s+File "(.+)", line (\d+)/;
/** Where the module's import failed, above the `E` block: `tests/test_bad.py:1: in <module>`. */
const IN_MODULE = /^(\S+:\d+): in /;

/**
 * Why a test module could not be collected: the exception of its `E` block, with the file and
 * line of a syntax error, at the line of the module where the import failed:
 * `tests/test_bad.py:1: SyntaxError: invalid syntax (/abs/pkg/bad.py:1)`.
 */
function collectionCause(lines: readonly string[], e: number): string {
  let exception = lines[e].slice(1).trim();
  let file: RegExpExecArray | null = null;
  for (let i = e; i < lines.length && lines[i].startsWith('E'); i++) {
    file ??= E_FILE.exec(lines[i]);
    const m = EXCEPTION.exec(lines[i]);
    if (m) exception = m[1].trim();
  }
  const where = e > 0 ? (IN_MODULE.exec(lines[e - 2] ?? '') ?? IN_MODULE.exec(lines[e - 1])) : null;
  return causeAt(where?.[1], `${exception}${file ? ` (${file[1]}:${file[2]})` : ''}`);
}

/** The start of the next test's section, or of the next `===` part of the report. */
function isBoundary(line: string): boolean {
  return line.startsWith('=') || (line.startsWith('__') && line.endsWith('__') && line.includes(' '));
}

/** Cheap: the line ends as a closing line does (`0.04s`, `(0:01:02)` or `===`). */
function mayClose(line: string): boolean {
  const last = line.charAt(line.length - 1);
  if (last === '=') return true;
  const before = line.charAt(line.length - 2);
  return (last === 's' || last === ')') && before >= '0' && before <= '9';
}

/** pytest: its closing line. */
export const PYTEST: TestRunFormat = { starts: '=n0123456789', mark: (line) => closingCounts(line) !== undefined, read: readPytest };
