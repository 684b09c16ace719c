import { stillRunning } from './still-running';
import { addName, causeAt, emptyRun, nextText, type TestRun, type TestRunFormat } from './test-run';

/** `--- FAIL: TestName (0.00s)`, indented four spaces per subtest level. Go names hold no spaces. */
const RESULT = /^ *--- (PASS|FAIL|SKIP): (\S+) \(/;
/** One package's verdict: `ok  \tpkg\t0.01s`, `FAIL\tpkg\t0.01s`, `FAIL\tpkg [build failed]`, `?   \tpkg\t[no test files]`. */
const PACKAGE = /^(ok {2}|FAIL|\? {3})\t(\S+)/;
const RUN = /^=== RUN +(\S+)/;
const CONT = /^=== CONT +(\S+)/;
/** `panic: test timed out after 2s`; Go ≥ 1.20 lists the running tests on the lines after it. */
const TIMEOUT = /^panic: test timed out after \S/;
const RUNNING_TESTS = /^running tests:$/;
const TEST_FUNCTION = /^(?:Test|Benchmark|Fuzz|Example)/;

interface GoResult {
  line: number;
  status: string;
  name: string;
}

/**
 * `go test` output, plain or `-v`: one verdict per package, summed. Every `--- PASS/FAIL/SKIP`
 * line is a test, a test with subtests as well as each subtest, as `go test -json` reports them
 * and gotestsum counts them (spf13/pflag: 187 passed, 175 of them top-level).
 * Without `-v`, Go prints only failures, so passed and skipped are unknown (null).
 */
export function readGoTest(lines: readonly string[]): TestRun | undefined {
  const run = emptyRun('go test');
  const results: GoResult[] = [];
  let packages = 0;
  let packagesRan = 0;
  let verbose = false;
  let timeout = -1;
  const failedPackages: number[] = [];
  const packageLines: { line: number; path: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const first = line.charAt(0);
    if (first === ' ' || first === '-') {
      const result = RESULT.exec(line);
      if (result) results.push({ line: i, status: result[1], name: result[2] });
      continue;
    }
    if (first === '=') verbose ||= RUN.test(line);
    else if (first === 'p' && timeout < 0 && TIMEOUT.test(line)) timeout = i;
    const verdict = first === 'o' || first === 'F' || first === '?' ? PACKAGE.exec(line) : null;
    if (!verdict) continue;
    packages++;
    packageLines.push({ line: i, path: verdict[2] });
    const rest = line.slice(verdict[0].length);
    if (verdict[1] === 'FAIL' && /^ \[(?:build|setup) failed\]/.test(rest)) {
      run.errors++;
      addName(run, `${verdict[2]}${rest}`);
    } else if (verdict[1] === 'FAIL' || (verdict[1].startsWith('ok') && !rest.includes('[no tests to run]'))) {
      packagesRan++;
      if (verdict[1] === 'FAIL') failedPackages.push(i);
    }
  }
  if (packages === 0 && results.length === 0 && timeout < 0) return undefined;

  let passed = 0;
  let skipped = 0;
  const dirOf = packageDirs(packageLines);
  for (const { status, name, line } of results) {
    if (status === 'PASS') passed++;
    else if (status === 'SKIP') skipped++;
    else {
      run.failed++;
      // A test of a package below the module's: named and placed from the module's directory
      // (hashicorp/golang-lru's simplelru.TestLRU at simplelru/lru_test.go, beside the root's own TestLRU).
      const dir = dirOf(line);
      addName(run, dir ? `${dir}.${name}` : name);
      if (run.firstFailure < 0) run.firstFailure = line;
      // A test that failed through its subtests has no message of its own: a subtest's is the cause.
      if (!run.cause) {
        const cause = goFailureMessage(lines, name, line);
        run.cause = dir && /^[\w.-]+\.go:\d+/.test(cause) ? `${dir}/${cause}` : cause;
      }
    }
  }
  run.passed = verbose ? passed : null;
  run.skipped = verbose ? skipped : null;
  if (timeout >= 0) readTimeout(lines, timeout, run);
  else if (verbose) for (const at of failedPackages) readExited(lines, at, run);
  run.noneRan = results.length === 0 && timeout < 0 && packagesRan === 0 && run.errors === 0;
  if (run.noneRan) run.noneLine = lines.findIndex((line) => PACKAGE.test(line));
  return run;
}

/**
 * The directory, from the module's, of the package whose verdict follows an output line (''
 * for the module's own package, or when the module is not known): the module is the package
 * whose import path starts every other's, when one does.
 */
function packageDirs(packageLines: readonly { line: number; path: string }[]): (line: number) => string {
  const module = packageLines.map((p) => p.path).find((m) => packageLines.every((p) => p.path === m || p.path.startsWith(`${m}/`)));
  if (module === undefined || packageLines.length < 2) return () => '';
  return (line) => {
    const pkg = packageLines.find((p) => p.line > line);
    return pkg && pkg.path !== module ? pkg.path.slice(module.length + 1) : '';
  };
}

/** Go's own frames in a panic's goroutine dump, and the panic call itself. */
const GO_OWN_FRAME = /^(?:panic\(|runtime\.|testing\.|reflect\.|sync\.|created by )/;

/**
 * A test's panic, where it happened: the first frame of the goroutine dump that is not Go's own
 * (segmentio/ksuid with a planted out-of-range index: `sequence_test.go:12`), once (Go repeats
 * the message, `[recovered]`), saying that the package's later tests did not run.
 */
function panicCause(lines: readonly string[], at: number): string {
  const message = lines[at].trim().replace(/ \[recovered\]$/, '');
  let location: string | undefined;
  for (let i = at + 1; i + 1 < lines.length && !PACKAGE.test(lines[i]) && lines[i] !== 'FAIL'; i++) {
    if (/^\s/.test(lines[i]) || !lines[i].includes('(') || GO_OWN_FRAME.test(lines[i])) continue;
    location = /^\t(\S+\.go:\d+)(?: \+0x[0-9a-f]+)?$/.exec(lines[i + 1])?.[1];
    if (location) break;
  }
  return `${causeAt(location, message)} (the package's later tests did not run)`;
}

/**
 * A failing test's first message: in `-v` output the lines between its `=== RUN` (or, for a
 * parallel test, its `=== CONT`) and the next `=== ` or `--- ` line, otherwise the indented line
 * under its `--- FAIL`.
 */
function goFailureMessage(lines: readonly string[], name: string, failLine: number): string {
  // A parallel test (t.Parallel) prints `=== PAUSE` after its `=== RUN`, and its output after `=== CONT`.
  for (let start = 0; start < failLine; start++) {
    const at = RUN.exec(lines[start]) ?? CONT.exec(lines[start]);
    if (at?.[1] !== name) continue;
    const next = nextText(lines, start + 1, failLine);
    // `file_test.go:358:` alone: t.Errorf's message began with a newline, and is on the lines Go
    // indents below (BurntSushi/toml: `have: …`, then `want: …`, both kept).
    if (next >= 0 && !/^(?:===|\s*---) /.test(lines[next])) return withContinuation(lines, next, failLine);
  }
  const next = nextText(lines, failLine + 1);
  if (next < 0 || RESULT.test(lines[next]) || PACKAGE.test(lines[next]) || lines[next] === 'FAIL' || lines[next].startsWith('=== '))
    return '';
  if (lines[next] === 'got:') return exampleMismatch(lines, next);
  if (lines[next].startsWith('panic: ')) return panicCause(lines, next);
  return withContinuation(lines, next);
}

/**
 * A test's log line and the lines Go indents under it, the rest of the same message
 * (`t.Fatalf("expected: %s\nactual: %s")`: hashicorp/go-version's cause was "expected:
 * metadataX" without what it got), up to six of them, on one line (`…` where there are more).
 * A blank line of the message is indented too, and skipped (mitchellh/go-wordwrap's "Case 2
 * Input:", blank, the input, blank, "Expected Output:" …); an empty one ends it.
 */
function withContinuation(lines: readonly string[], at: number, end = lines.length): string {
  const indent = (line: string) => line.length - line.trimStart().length;
  const parts = [lines[at].trim()];
  for (let i = at + 1; i < end; i++) {
    if (lines[i].trim() === '' && lines[i].length > indent(lines[at])) continue;
    if (lines[i].trim() === '' || indent(lines[i]) <= indent(lines[at]) || /^\s*(?:---|===) /.test(lines[i])) break;
    if (parts.length === 7) {
      parts.push('…');
      break;
    }
    parts.push(lines[i].trim());
  }
  return parts.join(' ');
}

/**
 * A failing Example's output against its `// Output:` comment, as Go prints them under its
 * `--- FAIL` (`got:`, the lines, `want:`, the lines), on one line: `got "3039", want "0000"`.
 */
function exampleMismatch(lines: readonly string[], gotLine: number): string {
  const got: string[] = [];
  const want: string[] = [];
  let into = got;
  for (let i = gotLine + 1; i < lines.length; i++) {
    const line = lines[i];
    if (line === 'want:' && into === got) {
      into = want;
      continue;
    }
    if (/^(?:=== |\s*--- |FAIL$|ok |PASS$)/.test(line) || PACKAGE.test(line)) break;
    into.push(line);
  }
  return `got ${JSON.stringify(got.join('\n'))}, want ${JSON.stringify(want.join('\n'))}`;
}

/**
 * A package that failed with no test failing in it: a test ended the test binary (`log.Fatal`,
 * `os.Exit`) before Go printed its result. The test still running then is the failure, and the
 * last line the binary printed its cause (kelseyhightower/envconfig with a planted `log.Fatalf`:
 * the cause was a passed test whose name held "Error").
 */
function readExited(lines: readonly string[], packageLine: number, run: TestRun): void {
  let start = packageLine;
  while (start > 0 && !PACKAGE.test(lines[start - 1])) start--;
  const section = lines.slice(start, packageLine);
  if (section.some((line) => /^ *--- FAIL: /.test(line))) return;
  const open = stillRunning(section);
  if (open.length === 0) return;
  const name = open[open.length - 1];
  if (run.listed.has(name)) return;
  run.failed++;
  addName(run, name);
  const runLine = section.findIndex((line) => RUN.exec(line)?.[1] === name);
  let last = -1;
  for (let i = section.length - 1; i > runLine; i--) {
    if (section[i].trim() !== '' && !/^(?:===|\s*---) |^(?:FAIL|PASS)$/.test(section[i])) {
      last = i;
      break;
    }
  }
  if (run.firstFailure < 0) run.firstFailure = start + Math.max(runLine, 0);
  if (!run.cause) run.cause = `the test binary exited during ${name}${last >= 0 ? `: ${section[last].trim()}` : ''}`;
}

/**
 * The test-timeout panic and the tests it caught running: Go ≥ 1.20 lists them after the panic
 * (`running tests:` then `\tTestSlow (2s)`); older Go names them only in the goroutine dump,
 * as the test function whose caller is `testing.tRunner`. Each is a failure.
 */
function readTimeout(lines: readonly string[], panicLine: number, run: TestRun): void {
  const running: string[] = [];
  const seen = new Set<string>();
  if (panicLine + 1 < lines.length && RUNNING_TESTS.test(lines[panicLine + 1])) {
    for (let i = panicLine + 2; i < lines.length && lines[i].startsWith('\t'); i++) running.push(lines[i].trim());
  } else {
    for (let i = panicLine + 3; i < lines.length && !PACKAGE.test(lines[i]); i++) {
      if (!lines[i].startsWith('testing.tRunner(')) continue;
      const name = testFunction(lines[i - 2]);
      if (name && !seen.has(name)) {
        seen.add(name);
        running.push(name);
      }
    }
    // The dump names a subtest's test function only (`TestX.func1`): the -v output names the subtest.
    const open = stillRunning(lines.slice(0, panicLine));
    for (let k = 0; k < running.length; k++) {
      const deeper = open.filter((n) => n.startsWith(`${running[k]}/`));
      if (deeper.length > 0) running.splice(k, 1, ...deeper);
    }
  }
  for (const entry of running) {
    const name = entry.replace(/ \([^()]*\)$/, '');
    if (!run.listed.has(name)) {
      run.failed++;
      addName(run, name);
    }
  }
  if (run.firstFailure < 0 || panicLine < run.firstFailure) run.firstFailure = panicLine;
  run.headline = [lines[panicLine].trim(), ...(running.length > 0 ? [`running tests: ${running.join(', ')}`] : [])];
}

/** `example.com/m/slow.TestSlow(0xc000098680?)` → `TestSlow` (also for its closures, `TestX.func1`). */
function testFunction(frame: string): string | undefined {
  const open = frame.indexOf('(');
  if (open <= 0 || /^\s/.test(frame)) return undefined;
  const parts = frame.slice(0, open).split('/').pop()?.split('.') ?? [];
  return parts.find((part) => TEST_FUNCTION.test(part));
}

/** `go test`: a package verdict, a failing test (an output cut short may have no verdict), or the timeout panic. */
export const GO_TEST: TestRunFormat = {
  starts: 'oF?p -',
  mark: (line) =>
    line.startsWith('ok  \t') || line.startsWith('FAIL\t') || line.startsWith('?   \t') || TIMEOUT.test(line) || /^ *--- FAIL: /.test(line),
  read: readGoTest,
};
