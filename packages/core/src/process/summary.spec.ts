import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractErrorSummary, SUMMARY_LINE_MAX, summarizeOutput } from './summary';
import type { TestReport } from './test-report-schema';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtureRoot = path.join(here, '..', '__fixtures__', 'toolchain-output');

interface Expectation {
  command: string;
  exit_code: number;
  summary: string;
  coverage_percent: number | null;
  tests: TestReport | null;
}

/** Every `<lang>/<case>.out` with its `.expect.json`, named `<lang>/<case>`. */
const fixtures = readdirSync(fixtureRoot, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((dir) =>
    readdirSync(path.join(fixtureRoot, dir.name))
      .filter((file) => file.endsWith('.out'))
      .map((file) => {
        const base = path.join(fixtureRoot, dir.name, file.slice(0, -'.out'.length));
        const expected = JSON.parse(readFileSync(`${base}.expect.json`, 'utf8')) as Expectation;
        return { name: `${dir.name}/${file.slice(0, -'.out'.length)}`, output: readFileSync(`${base}.out`, 'utf8'), expected };
      }),
  );

const fixture = (name: string): string => readFileSync(path.join(fixtureRoot, `${name}.out`), 'utf8');

describe('extractErrorSummary', () => {
  it('reads every fixture (128 real outputs, each with an expectation)', () => {
    expect(fixtures).toHaveLength(128);
  });

  it.each(fixtures)('returns the expected summary for $name', ({ output, expected }) => {
    expect(extractErrorSummary(output, { exitCode: expected.exit_code })).toBe(expected.summary);
  });

  it('strips ANSI colour codes (tsc --pretty)', () => {
    const output =
      "\u001b[96msrc/cart.ts\u001b[0m:\u001b[93m12\u001b[0m:\u001b[93m33\u001b[0m - \u001b[91merror\u001b[0m\u001b[90m TS2304: \u001b[0mCannot find name 'TAX_RATE'.\n\n" +
      '\u001b[7m12\u001b[0m   return subtotal * TAX_RATE;\n\nFound 1 error in src/cart.ts\u001b[90m:12\u001b[0m\n';
    expect(extractErrorSummary(output, { exitCode: 2 })).toBe("src/cart.ts:12:33 - error TS2304: Cannot find name 'TAX_RATE'.");
  });

  it('accepts CRLF line endings', () => {
    const output =
      '--- FAIL: TestWordCount (0.00s)\r\n    strutil_test.go:19: WordCount("a b") = 1, want 2\r\nFAIL\r\nFAIL\texample.com/m\t0.004s\r\n';
    expect(extractErrorSummary(output, { exitCode: 1 })).toBe(
      '1 test failed: TestWordCount\nstrutil_test.go:19: WordCount("a b") = 1, want 2',
    );
  });

  it('keeps only the last segment of a line rewritten with carriage returns', () => {
    const output = 'Downloading 10%\rDownloading 100%\nfatal: repository not found\n';
    expect(extractErrorSummary(output, { exitCode: 128 })).toBe('fatal: repository not found');
    expect(extractErrorSummary('step 1/2\rstep 2/2\n', { exitCode: 0 })).toBe('step 2/2');
  });

  it('returns an empty string for empty or blank output', () => {
    expect(extractErrorSummary('', { exitCode: 1 })).toBe('');
    expect(extractErrorSummary('', { exitCode: 0 })).toBe('');
    expect(extractErrorSummary(' \n\t\r\n', {})).toBe('');
  });

  it("skips npm's warn and notice lines and warnings", () => {
    const output = [
      'npm warn ERESOLVE overriding peer dependency',
      'npm warn While resolving: failing-peer@1.0.0',
      'warning: deprecated option, this will fail in v3',
      'npm notice New major version of npm available! 10.8.2 -> 11.19.1',
      'Error: Cannot find module "./config"',
    ].join('\n');
    expect(extractErrorSummary(output, { exitCode: 1 })).toBe('Error: Cannot find module "./config"');
  });

  it('falls back to the first line that looks like an error for unknown tools', () => {
    const output = 'Starting job\nstep 1 ok\nFATAL: disk quota exceeded\nError: upload aborted\n';
    expect(extractErrorSummary(output, { exitCode: 3 })).toBe('FATAL: disk quota exceeded');
  });

  it('does not take a count of zero errors for an error', () => {
    const output = 'checked 12 files: 0 errors, 0 failed\nexit status 3\n';
    expect(extractErrorSummary(output, { exitCode: 3 })).toBe('exit status 3');
  });

  it('falls back to the last non-empty line when nothing looks like an error', () => {
    expect(extractErrorSummary('building\nstep two\n\n\n', { exitCode: 1 })).toBe('step two');
  });

  it('reads an unknown exit code as a failing run', () => {
    const output = "src/cart.ts(12,33): error TS2304: Cannot find name 'TAX_RATE'.\n";
    expect(extractErrorSummary(output)).toBe("src/cart.ts(12,33): error TS2304: Cannot find name 'TAX_RATE'.");
    expect(extractErrorSummary(output, { exitCode: null })).toBe("src/cart.ts(12,33): error TS2304: Cannot find name 'TAX_RATE'.");
  });

  it("names a failing go test and its failing subtest, as go prints them, and gives the subtest's message", () => {
    const output = [
      '--- FAIL: TestParse (0.00s)',
      '    --- FAIL: TestParse/empty (0.00s)',
      '        parse_test.go:12: Parse("") = 1, want 0',
      'FAIL',
      'FAIL\texample.com/m/parse\t0.004s',
    ].join('\n');
    expect(extractErrorSummary(output, { exitCode: 1 })).toBe(
      '2 tests failed: TestParse, TestParse/empty\nparse_test.go:12: Parse("") = 1, want 0',
    );
  });

  it('names the failing go test and subtest when no package verdict follows (output cut short)', () => {
    const output = [
      '--- FAIL: TestParse (0.00s)',
      '    --- FAIL: TestParse/empty (0.00s)',
      '        parse_test.go:12: Parse("") = 1, want 0',
    ].join('\n');
    expect(extractErrorSummary(output, { exitCode: 1 })).toBe(
      '2 tests failed: TestParse, TestParse/empty\nparse_test.go:12: Parse("") = 1, want 0',
    );
  });

  it('returns the frame and exception of a Python traceback', () => {
    const output = [
      'Traceback (most recent call last):',
      '  File "/app/main.py", line 5, in <module>',
      '    main()',
      '  File "/app/main.py", line 2, in main',
      '    return 1 / 0',
      '           ~~^~~',
      'ZeroDivisionError: division by zero',
    ].join('\n');
    expect(extractErrorSummary(output, { exitCode: 1 })).toBe('ZeroDivisionError: division by zero\nFile "/app/main.py", line 2, in main');
  });

  it('returns the frame above the E line for pytest --tb=short', () => {
    const output = [
      '=================================== FAILURES ===================================',
      '_______________________________ test_word_count ________________________________',
      'test_textutil.py:13: in test_word_count',
      '    assert word_count("the quick brown fox") == 4',
      'E   AssertionError: assert 3 == 4',
      '=========================== short test summary info ============================',
    ].join('\n');
    expect(extractErrorSummary(output, { exitCode: 1 })).toBe('test_textutil.py:13: in test_word_count\nE   AssertionError: assert 3 == 4');
  });

  it("skips jest's captured console block", () => {
    const output = [
      'FAIL src/cart.test.ts',
      '  ● Console',
      '',
      '    console.log',
      '      loading cart',
      '',
      '  ● cart › totals',
      '',
      '    expect(received).toBe(expected) // Object.is equality',
    ].join('\n');
    expect(extractErrorSummary(output, { exitCode: 1 })).toBe('● cart › totals\nexpect(received).toBe(expected) // Object.is equality');
  });

  it('returns the one-line panic of Rust before 1.73', () => {
    const output = "thread 'main' panicked at 'index out of bounds', src/main.rs:4:5\nnote: run with `RUST_BACKTRACE=1`\n";
    expect(extractErrorSummary(output, { exitCode: 101 })).toBe("thread 'main' panicked at 'index out of bounds', src/main.rs:4:5");
  });

  it("returns jest's unmet coverage threshold", () => {
    const output = 'All files |   75 |\nJest: "global" coverage threshold for lines (80%) not met: 75%\n';
    expect(extractErrorSummary(output, { exitCode: 1 })).toBe('Jest: "global" coverage threshold for lines (80%) not met: 75%');
  });

  it(`caps a returned line at ${SUMMARY_LINE_MAX} characters`, () => {
    const summary = extractErrorSummary(`error: ${'x'.repeat(10_000)}\n`, { exitCode: 1 });
    expect(summary).toHaveLength(SUMMARY_LINE_MAX);
    expect(summary).toBe(`error: ${'x'.repeat(SUMMARY_LINE_MAX - 8)}…`);
  });

  it('handles 20 MB of output', () => {
    const noise = 'info: compiled module 0123456789 of the build graph (cached)\n';
    const bulk = noise.repeat(Math.ceil((20 * 1024 * 1024) / noise.length));
    const failing = `${bulk}./main.go:11:19: undefined: calc.Multiply\n${bulk}`;
    expect(extractErrorSummary(failing, { exitCode: 2 })).toBe('./main.go:11:19: undefined: calc.Multiply');
    expect(extractErrorSummary(`${bulk}ok  \texample.com/m\t0.003s\n`, { exitCode: 0 })).toBe('ok  \texample.com/m\t0.003s');
    const oneLine = `${'a:b '.repeat(5 * 1024 * 1024)}panic`;
    expect(extractErrorSummary(oneLine, { exitCode: 1 })).toBe(`${'a:b '.repeat(124)}a:b…`);
  });
});

describe('summarizeOutput', () => {
  it.each(fixtures)('returns the summary and the tests of $name', ({ output, expected }) => {
    const result = summarizeOutput(output, { exitCode: expected.exit_code });
    expect(result.summary).toBe(expected.summary);
    expect(result.tests).toEqual(expected.tests ?? undefined);
  });

  it("states Go ≥ 1.20's test-timeout panic with the tests it lists as running", () => {
    // The list's format is Go's own (src/testing/testing.go, startAlarm, since Go 1.20).
    const output = [
      'panic: test timed out after 2s',
      'running tests:',
      '\tTestSlow (2s)',
      '\tTestSlower (2s)',
      '',
      'goroutine 5 [running]:',
    ].join('\n');
    expect(summarizeOutput(output, { exitCode: 1 }).summary).toBe(
      'panic: test timed out after 2s\nrunning tests: TestSlow (2s), TestSlower (2s)',
    );
  });

  it('gives the location and message of a Rust panic before 1.73 (message first)', () => {
    const output = [
      'running 2 tests',
      'test tests::a ... ok',
      'test tests::b ... FAILED',
      '',
      'failures:',
      '',
      '---- tests::b stdout ----',
      "thread 'tests::b' panicked at 'index out of bounds: the len is 3 but the index is 7', src/lib.rs:12:5",
      '',
      'failures:',
      '    tests::b',
      '',
      'test result: FAILED. 1 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s',
    ].join('\n');
    expect(summarizeOutput(output, { exitCode: 101 }).summary).toBe(
      '1 test failed (1 passed): tests::b\nsrc/lib.rs:12:5: index out of bounds: the len is 3 but the index is 7',
    );
  });

  it('keeps a compile error reported before the first failing test as the root cause, and names the failing tests beside it', () => {
    const output = fixture('go/test_build_failed');
    const result = summarizeOutput(output, { exitCode: 2 });
    expect(result.summary).toBe(
      'mathx/mathx.go:11:11: undefined: m\n1 test failed, 1 error: example.com/tests_build_failed/mathx [build failed], TestWordCount',
    );
    expect(result.tests).toMatchObject({
      failed: 1,
      errors: 1,
      failing: ['example.com/tests_build_failed/mathx [build failed]', 'TestWordCount'],
    });
  });

  it("gives a Go 1.19 test build's compile error (its heading names the test binary, its line no column) as the cause", () => {
    // gorilla/mux with an unused import, `go test -v -coverprofile=… ./...` on Go 1.19.8.
    const output =
      '# example.com/m [example.com/m.test]\n./a.go:3: imported and not used: "os"\nFAIL\texample.com/m [build failed]\nFAIL\n';
    expect(summarizeOutput(output, { exitCode: 2 }).summary).toBe('./a.go:3: imported and not used: "os"');
  });

  it("locates a failing doc test at its own line: the panic's location is in the program rustdoc made of it (heck: line 49 panicked 'at src/snake.rs:8:1')", () => {
    // `cargo test --no-fail-fast` on cargo 1.95.0, a doc test whose assert_eq! fails.
    const output =
      "\nrunning 0 tests\n\ntest result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n\n   Doc-tests rc\n\nrunning 1 test\ntest src/lib.rs - one (line 5) ... FAILED\n\nfailures:\n\n---- src/lib.rs - one (line 5) stdout ----\nTest executable failed (exit status: 101).\n\nstderr:\n\nthread 'main' (22962) panicked at src/lib.rs:6:1:\nassertion `left == right` failed\n  left: 1\n right: 5\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n\n\n\nfailures:\n    src/lib.rs - one (line 5)\n\ntest result: FAILED. 0 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.28s\n\nerror: doctest failed, to rerun pass `--doc`\nerror: 1 target failed:\n    `--doc`\n";
    expect(summarizeOutput(output, { exitCode: 101 }).summary).toBe(
      '1 test failed (0 passed): src/lib.rs - one (line 5)\nsrc/lib.rs:5: assertion `left == right` failed (left: 1, right: 5)',
    );
  });

  it("gives the whole of a Go test's multi-line message, as Go indents it (go-version: 'expected: metadataX' without what it got)", () => {
    // go 1.19.8, `go test -v ./...` and `go test ./...` on t.Fatalf("expected: %s\\nactual: %s", "a", "b").
    const verbose =
      '=== RUN   TestX\n    g_test.go:6: expected: a\n        actual: b\n--- FAIL: TestX (0.00s)\n=== RUN   TestY\n=== RUN   TestY/sub\n    g_test.go:10: one\n        two\n--- FAIL: TestY (0.00s)\n    --- FAIL: TestY/sub (0.00s)\nFAIL\nFAIL\texample.com/g\t0.007s\nFAIL\n';
    const plain =
      '--- FAIL: TestX (0.00s)\n    g_test.go:6: expected: a\n        actual: b\n--- FAIL: TestY (0.00s)\n    --- FAIL: TestY/sub (0.00s)\n        g_test.go:10: one\n            two\nFAIL\nFAIL\texample.com/g\t0.007s\nFAIL\n';
    for (const output of [verbose, plain]) {
      expect(summarizeOutput(output, { exitCode: 1 }).summary).toBe(
        `3 tests failed${output === verbose ? ' (0 passed)' : ''}: TestX, TestY, TestY/sub\ng_test.go:6: expected: a actual: b`,
      );
    }
  });

  it('names the test that ended the test binary (log.Fatal) and gives its last words as the cause, not a passed test named like an error', () => {
    // go 1.19.8, `go test -v -coverprofile=… ./...`: TestPlantedLogFatal calls log.Fatalf, after TestParseURLError passed.
    const output =
      '=== RUN   TestA\n--- PASS: TestA (0.00s)\n=== RUN   TestParseURLError\n--- PASS: TestParseURLError (0.00s)\n=== RUN   TestPlantedLogFatal\n2026/12/07 13:35:08 planted log.Fatal: config missing\nFAIL\texample.com/f\t0.036s\nFAIL\n';
    expect(summarizeOutput(output, { exitCode: 1 }).summary).toBe(
      '1 test failed (2 passed): TestPlantedLogFatal\nthe test binary exited during TestPlantedLogFatal: 2026/12/07 13:35:08 planted log.Fatal: config missing',
    );
    // A message of more than seven lines says it was cut.
    const long =
      '=== RUN   TestL\n    l_test.go:6: one\n        two\n        three\n        four\n        five\n        six\n        seven\n        eight\n--- FAIL: TestL (0.00s)\nFAIL\nFAIL\texample.com/l\t0.01s\nFAIL\n';
    expect(summarizeOutput(long, { exitCode: 1 }).summary).toBe(
      '1 test failed (0 passed): TestL\nl_test.go:6: one two three four five six seven …',
    );
  });

  it('names the failing tests when a compile error comes after them', () => {
    const output = `${fixture('go/test_fail_packages')}# example.com/later\nlater/a.go:3:1: undefined: x\n`;
    expect(summarizeOutput(output, { exitCode: 2 }).summary).toBe(
      '4 tests failed: TestIsNumber, TestIsNumber/NaN, TestIsNumber/Infinity, TestWordCount\nmathx_test.go:21: IsNumber(NaN) = true, want false',
    );
  });
});
