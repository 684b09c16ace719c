/** Words that mark a line as reporting a problem, in any tool's output. */
const ERROR_WORD = /error|fail|exception|panic|fatal/i;
/** Counts of nothing (`0 failed`, `no errors`, TAP's `# fail 0`) that mention an error word without reporting one. */
const ZERO_COUNT = /\b(?:0|no) (?:errors?|failed|failures?|failing|exceptions?)\b|\b(?:fail|failed|errors?) 0\b/gi;
/**
 * npm's banner before a script (`> @fastify/error@4.2.0 test`, whose name says "error"), and a
 * passing TAP test's lines: `ok 3 …`, and tape's comment naming a test (`# does not error when
 * parsing a very long array`, ljharb/qs), whose failures are its `not ok` lines.
 */
const NOT_A_PROBLEM = /^> \S+@\S+ \S+$|^\s*(?:# Subtest: |ok \d+\b)|^# (?!fail\b|not ok\b)/;
/** Warnings (`warning:`, `[warn]`, `npm warn`, `DeprecationWarning`) and npm's notices. */
const NOISE = /\bwarn|warning|^\s*npm notice\b/i;
/** jest's `Tests:       3 passed, 3 total`. */
const JEST_TESTS = /^Tests:\s+\d/;
/** ava's `  4 tests passed` (its skipped and todo counts follow it). */
const AVA_PASSED = /^\s+\d+ tests? passed$/;
/** cargo's `test result: ok. 3 passed; …`, one per test binary. */
const CARGO_RESULT = /^test result: /;
const CARGO_RAN_TESTS = /\b[1-9]\d* passed\b/;

/** A test runner's closing count that also counts warnings (pytest's `2 passed, 1 warning in 0.01s`): the status, not noise. */
const COUNTED = /\b\d+ passed\b/;

/** True for warnings and npm's `npm warn` / `npm notice` chatter. */
export function isNoise(line: string): boolean {
  return NOISE.test(line) && !COUNTED.test(line);
}

/** True for a line that is not noise and names an error, a failure, an exception, a panic or a fatal condition. */
export function looksLikeError(line: string): boolean {
  return ERROR_WORD.test(line) && !isNoise(line) && !NOT_A_PROBLEM.test(line) && ERROR_WORD.test(line.replace(ZERO_COUNT, ''));
}

/** npm's `npm error code ELSPROBLEMS`, whose next line says what the problem is (`npm error missing: left-pad@^1.3.0, …`). */
const NPM_ERROR_CODE = /^npm (?:error|ERR!) code \S+$/;
const NPM_ERROR_SAYS = /^npm (?:error|ERR!) (?!code |path |errno |A complete log )\S/;

/** Index of the first line that looks like an error (see `looksLikeError`), or -1. */
export function firstErrorLike(lines: readonly string[]): number {
  for (let i = 0; i < lines.length; i++) {
    if (!looksLikeError(lines[i])) continue;
    return NPM_ERROR_CODE.test(lines[i]) && NPM_ERROR_SAYS.test(lines[i + 1] ?? '') ? i + 1 : i;
  }
  return -1;
}

/** Index of the last non-blank line that is not noise, else of the last non-blank line, else -1. */
export function lastMeaningful(lines: readonly string[]): number {
  let lastNonBlank = -1;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (lines[i].trim() === '') continue;
    if (!isNoise(lines[i])) return i;
    if (lastNonBlank < 0) lastNonBlank = i;
  }
  return lastNonBlank;
}

/**
 * The final status line of a passing run: jest's `Tests:` line; ava's `N tests passed`; cargo's first `test result:`
 * line that ran tests (the doc-test binary that runs none comes last); otherwise the last
 * meaningful line (`ok  pkg`, pytest's `=== 3 passed in 0.01s ===`). -1 for empty output.
 */
export function passingStatus(lines: readonly string[]): number {
  let cargoLast = -1;
  for (let i = 0; i < lines.length; i++) {
    if (JEST_TESTS.test(lines[i]) || AVA_PASSED.test(lines[i])) return i;
    if (CARGO_RESULT.test(lines[i])) {
      if (CARGO_RAN_TESTS.test(lines[i])) return i;
      cargoLast = i;
    }
  }
  return cargoLast >= 0 ? cargoLast : lastMeaningful(lines);
}
