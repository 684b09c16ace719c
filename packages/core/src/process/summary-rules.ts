import { findLine, nextNonBlank } from './output-lines';

/**
 * One tool's way of reporting a failure. `find` returns the indices (in output order, but for a Python traceback's exception before its frame) of the
 * 1–2 lines that state the first root cause it recognises, or undefined when the output holds
 * none of its messages. Every pattern is anchored and free of nested quantifiers, so a rule is
 * linear in the size of the output.
 */
export interface SummaryRule {
  readonly tool: string;
  readonly find: (lines: readonly string[]) => number[] | undefined;
  /** Set for a test runner's failure format: a test report, when one is read, states these better. */
  readonly test?: true;
}

/** An optional Windows drive, then a path without spaces or colons. */
const PATH = String.raw`(?:[A-Za-z]:)?[^\s:]+`;

/** `file:L:C: message` (go build, go vet, pyflakes, gcc/clang), excluding warnings and notes. */
const PATH_LINE_COL = new RegExp(String.raw`^${PATH}:\d+:\d+: (?!warning:|note:|info:)\S`);
/** Go's package heading (`# github.com/spf13/pflag`; a test build's `# example.com/m [example.com/m.test]`) above the errors of that package's build or vet. */
const GO_PACKAGE_HEADING = /^# \S+(?: \[\S+\])?$/;
/** A finding under it without a column: the vet checks `go test` runs, as Go before 1.20 prints them. */
const GO_LINE = new RegExp(String.raw`^${PATH}:\d+: \S`);
/** mypy: `file:L: error: message`. */
const MYPY_ERROR = new RegExp(String.raw`^${PATH}:\d+: error: `);
/** tsc, plain (`src/x.ts(L,C): error TS2304: …`) and `--pretty` (`src/x.ts:L:C - error TS2304: …`). */
export const TSC_ERROR = /^\S.*?(?:\(\d+,\d+\):|:\d+:\d+ -) error TS\d+: /;
/** rustc/cargo: `error[E0425]: …` or `error: …`; its location follows on a `-->` line. */
const RUST_ERROR = /^error(?:\[E\d+\])?: /;
const RUST_LOCATION = /^\s*--> \S/;
/** A Rust panic: `thread 'name' (id) panicked at src/lib.rs:36:9:` (message on the next line). */
const RUST_PANIC = /^thread '.+ panicked at /;
/** `cargo fmt --check`: `Diff in /path/src/main.rs:1:`. */
const RUSTFMT_DIFF = /^Diff in \S/;
/** go test: `--- FAIL: TestName (0.00s)`, indented for subtests. */
const GO_TEST_FAIL = /^\s*--- FAIL: /;
/** Python traceback frame and the exception line that ends it (`SyntaxError: expected ':'`). */
const PY_FRAME = /^\s*File ".+", line \d+/;
const PY_EXCEPTION = /^[A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt)(?::|$)/;
/** pytest: `E   message`, `file:N: ErrorType` after it, or `file:N: in <function>` before it. */
const PYTEST_E = /^E\s{2,}\S/;
const PYTEST_RAISED_AT = new RegExp(String.raw`^${PATH}:\d+: [A-Za-z_][\w.]*$`);
const PYTEST_FRAME = new RegExp(String.raw`^${PATH}:\d+: in \S`);
const PYTEST_SECTION = /^(?:_{3,}|={3,})/;
/** jest: `● suite › test` (not the `● Console` block of captured logs). */
const JEST_FAILURE = /^\s*● (?!Console\b)\S/;
/** jest: `Jest: "global" coverage threshold for lines (80%) not met: 75%`. */
const JEST_THRESHOLD = /^Jest: .+ not met/;
/** c8's and nyc's `--check-coverage`: `ERROR: Coverage for lines (99.01%) does not meet global threshold (100%)`. */
const ISTANBUL_THRESHOLD = /^ERROR: Coverage for \w+ \(\d+(?:\.\d+)?%\) does not meet /;
/** Biome, when its configuration ignores every path it was given (an `includes` pattern excluding dot folders drops a workspace under `.factory/`). */
const BIOME_NOTHING = /^\s*× No files were processed in the specified paths\.?$/;
/** tap 18 and later: `# ERROR: incomplete functions coverage (66.66%)`. */
const TAP_COVERAGE = /^# ERROR: incomplete \w+ coverage \(\d+(?:\.\d+)?%\)$/;
/** TSTyche: `fail ./types/index.tst.ts`, then the error (`Error: Type 'string' is not the same as type 'number'.`). */
const TSTYCHE_FAIL = /^fail \S+\.tst\.\S+$/;
const TSTYCHE_AT = /^\s+at \S+:\d+:\d+$/;
/** eslint stylish: an indented `L:C  error  message  rule` under an unindented file path. */
const ESLINT_ERROR = /^\s+\d+:\d+\s+error\s+\S/;
/** XO's default reporter (eslint-formatter-pretty): `  test.js:379:45` over `  ✖  379:45  message  rule`. */
const PRETTY_PLACE = /^\s+\S+:\d+:\d+$/;
const PRETTY_ERROR = /^\s+✖\s+\d+:\d+\s+\S/;
/** prettier --check: `[warn] file` lines, then `[warn] Code style issues …`. */
const PRETTIER_WARN = /^\[warn\] /;
const PRETTIER_VERDICT = /^\[warn\] Code style issues/;
/** A bare relative path with an extension, as `gofmt -l` or `prettier -l` list them. */
const LISTED_FILE = /^[\w./\\-]+\.[A-Za-z]\w*$/;

/** The matching line alone. */
const lineOnly =
  (pattern: RegExp) =>
  (lines: readonly string[]): number[] | undefined => {
    const i = findLine(lines, pattern);
    return i < 0 ? undefined : [i];
  };

/** The matching line and the next non-blank one (the message that goes with a heading). */
const lineAndNext =
  (pattern: RegExp) =>
  (lines: readonly string[]): number[] | undefined => {
    const i = findLine(lines, pattern);
    if (i < 0) return undefined;
    const next = nextNonBlank(lines, i + 1);
    return next < 0 ? [i] : [i, next];
  };

/**
 * A `file:L: message` line right under a Go package heading: what `go test`'s vet checks found
 * (spf13/pflag: `./bool.go:110: fmt.Sprintf format %d has arg "x" of wrong type string`, then
 * `FAIL github.com/spf13/pflag [build failed]`). Anywhere else such a line may be a test's log.
 */
function goPackageError(lines: readonly string[]): number[] | undefined {
  for (let i = 1; i < lines.length; i++) {
    if (GO_LINE.test(lines[i]) && GO_PACKAGE_HEADING.test(lines[i - 1])) return [i];
  }
  return undefined;
}

/** The deepest `--- FAIL:` of the first failing test (its subtest, if any) and its message. */
function goTestFailure(lines: readonly string[]): number[] | undefined {
  let i = findLine(lines, GO_TEST_FAIL);
  if (i < 0) return undefined;
  let next = nextNonBlank(lines, i + 1);
  while (next >= 0 && GO_TEST_FAIL.test(lines[next])) {
    i = next;
    next = nextNonBlank(lines, i + 1);
  }
  return next < 0 ? [i] : [i, next];
}

/** The first rustc error and its `--> file:L:C` line, looked for until the next blank line. */
function rustError(lines: readonly string[]): number[] | undefined {
  const i = findLine(lines, RUST_ERROR);
  if (i < 0) return undefined;
  for (let j = i + 1; j < lines.length && lines[j].trim() !== ''; j++) {
    if (RUST_LOCATION.test(lines[j])) return [i, j];
  }
  return [i];
}

/** A panic line; when it ends with `:` (Rust ≥ 1.73) the message is on the next line. */
function rustPanic(lines: readonly string[]): number[] | undefined {
  const i = findLine(lines, RUST_PANIC);
  if (i < 0) return undefined;
  const next = lines[i].trimEnd().endsWith(':') ? nextNonBlank(lines, i + 1) : -1;
  return next < 0 ? [i] : [i, next];
}

/** The first exception line of a Python traceback, then the frame line just before it (the exception says what went wrong, and is what a one-line reason shows). */
function pythonException(lines: readonly string[]): number[] | undefined {
  let frame = -1;
  for (let i = 0; i < lines.length; i++) {
    if (PY_FRAME.test(lines[i])) frame = i;
    else if (frame >= 0 && PY_EXCEPTION.test(lines[i])) return [i, frame];
  }
  return undefined;
}

/**
 * The first `E` line of pytest's report, with the `file:N: ErrorType` line that follows its
 * block (test failures) or, failing that, the nearest `file:N: in <where>` frame above it
 * within the same section (collection errors, `--tb=short`).
 */
function pytestError(lines: readonly string[]): number[] | undefined {
  const e = findLine(lines, PYTEST_E);
  if (e < 0) return undefined;
  let after = e + 1;
  while (after < lines.length && (PYTEST_E.test(lines[after]) || lines[after].trim() === '')) after++;
  if (after < lines.length && PYTEST_RAISED_AT.test(lines[after])) return [e, after];
  for (let j = e - 1; j >= 0 && !PYTEST_SECTION.test(lines[j]); j--) {
    if (PYTEST_FRAME.test(lines[j])) return [j, e];
  }
  return [e];
}

/** TSTyche's first failing file: its error and the `at file:line:col` under the code excerpt. */
function tstycheError(lines: readonly string[]): number[] | undefined {
  const fail = findLine(lines, TSTYCHE_FAIL);
  if (fail < 0) return undefined;
  const error = nextNonBlank(lines, fail + 1);
  if (error < 0) return [fail];
  for (let j = error + 1; j < lines.length && j < error + 40; j++) {
    if (TSTYCHE_AT.test(lines[j])) return [error, j];
    if (TSTYCHE_FAIL.test(lines[j])) break;
  }
  return [error];
}

/** The first eslint error and the file path heading its block. */
function eslintError(lines: readonly string[]): number[] | undefined {
  const i = findLine(lines, ESLINT_ERROR);
  if (i < 0) return undefined;
  for (let j = i - 1; j >= 0; j--) {
    if (lines[j].trim() !== '' && !/^\s/.test(lines[j])) return [j, i];
  }
  return [i];
}

/** The first error of XO's default reporter and the `file:line:col` line above it. */
function prettyError(lines: readonly string[]): number[] | undefined {
  const i = findLine(lines, PRETTY_ERROR);
  if (i < 0) return undefined;
  return i > 0 && PRETTY_PLACE.test(lines[i - 1]) ? [i - 1, i] : [i];
}

/** The first file prettier lists and its `Code style issues …` verdict. */
function prettierCheck(lines: readonly string[]): number[] | undefined {
  const verdict = findLine(lines, PRETTIER_VERDICT);
  if (verdict < 0) return undefined;
  let first = verdict;
  while (first > 0 && PRETTIER_WARN.test(lines[first - 1])) first--;
  return first < verdict ? [first, verdict] : [verdict];
}

/**
 * Output that is nothing but a list of files (`gofmt -l`, `prettier -l`): the first file.
 * `gofmt -l` exits 0 even when it lists files, so this rule also applies to passing runs.
 */
export function listedFile(lines: readonly string[]): number[] | undefined {
  let first = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    if (!LISTED_FILE.test(line)) return undefined;
    if (first < 0) first = i;
  }
  return first < 0 ? undefined : [first];
}

/**
 * The failure formats Factory knows. `extractErrorSummary` runs all of them and keeps the
 * match that starts earliest in the output (ties go to the rule listed first), so the first
 * reported error wins whichever tool printed it.
 */
/** argparse's refusal (`__main__.py: error: unrecognized arguments: --cov=x`), under the `usage:` line pytest prints first. */
/** Node's report of an uncaught exception: where it was thrown (`file.js:3`, `node:assert:90`), the source line, a caret under it. */
const NODE_THROWN_AT = /^\S+:\d+$/;
const NODE_CARET = /^\s*\^+\s*$/;
/** The version line Node prints last, which tells its report from other carets (Python's, rustc's). */
const NODE_VERSION = /^Node\.js v\d+\.\d+/;
/** A stack frame in a file (`at f (/p/lib.js:3:17)`, `at file:///p/test.mjs:5:8`), not in Node's own modules. */
const NODE_FRAME = /^\s+at (?:.*\()?(?!node:)\S+:\d+:\d+\)?$/;

/**
 * An uncaught exception in a plain Node script (`node test.js`): the exception's message and the
 * first frame in the project's code, not the source line Node echoes above it (often Node's own:
 * `throw new AssertionError(obj);`).
 */
function nodeUncaught(lines: readonly string[]): number[] | undefined {
  const version = findLine(lines, NODE_VERSION);
  if (version < 0) return undefined;
  for (let c = 2; c < version; c++) {
    if (!NODE_CARET.test(lines[c]) || !NODE_THROWN_AT.test(lines[c - 2].trim())) continue;
    const message = nextNonBlank(lines, c + 1);
    if (message < 0 || message >= version) return undefined;
    for (let f = message + 1; f < version; f++) {
      if (NODE_FRAME.test(lines[f]) && !lines[f].includes('/node_modules/')) return [message, f];
    }
    return lines[c - 2].startsWith('node:') ? [message] : [message, c - 2];
  }
  return undefined;
}

const ARGPARSE_ERROR = /^\S+: error: \S/;

/** The line saying what argparse refused, when a usage line comes right before it. */
function argparseError(lines: readonly string[]): number[] | undefined {
  for (let i = 1; i < lines.length; i++) {
    if (ARGPARSE_ERROR.test(lines[i]) && /(?:^|\s)usage: /.test(lines[i - 1])) return [i];
  }
  return undefined;
}

export const FAILURE_RULES: readonly SummaryRule[] = [
  { tool: 'argparse (pytest options)', find: argparseError },
  { tool: 'gofmt -l / prettier -l', find: listedFile },
  { tool: 'go test', find: goTestFailure, test: true },
  { tool: 'go build / go vet / pyflakes', find: lineOnly(PATH_LINE_COL) },
  { tool: 'go test (vet)', find: goPackageError },
  { tool: 'mypy', find: lineOnly(MYPY_ERROR) },
  { tool: 'tsc', find: lineOnly(TSC_ERROR) },
  { tool: 'cargo build', find: rustError },
  { tool: 'cargo test', find: rustPanic, test: true },
  { tool: 'cargo fmt --check', find: lineOnly(RUSTFMT_DIFF) },
  { tool: 'python', find: pythonException },
  // Below a test runner's report: tests that start node themselves print these (vitest_hook_fail).
  { tool: 'node (uncaught exception)', find: nodeUncaught, test: true },
  { tool: 'pytest', find: pytestError, test: true },
  { tool: 'jest', find: lineAndNext(JEST_FAILURE), test: true },
  { tool: 'jest coverage threshold', find: lineOnly(JEST_THRESHOLD) },
  { tool: 'c8 / nyc coverage threshold', find: lineOnly(ISTANBUL_THRESHOLD) },
  { tool: 'tap coverage check', find: lineOnly(TAP_COVERAGE) },
  { tool: 'biome (nothing processed)', find: lineAndNext(BIOME_NOTHING) },
  { tool: 'tstyche', find: tstycheError },
  { tool: 'eslint', find: eslintError },
  { tool: 'xo', find: prettyError },
  { tool: 'prettier --check', find: prettierCheck },
];
