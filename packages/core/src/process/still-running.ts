const GO_STARTED = /^=== (RUN|CONT|PAUSE) +(\S+)$/;
const GO_ENDED = /^\s*--- (?:PASS|FAIL|SKIP): (\S+) \(/;
/** libtest warns once a test passes a minute: `test tests::slow has been running for over 60 seconds`. */
const LIBTEST_SLOW = /^test (\S.*) has been running for over \d+ seconds$/;
/** cargo's heading of a test harness: `     Running tests/hang.rs (target/debug/deps/hang-…)`, `   Doc-tests name`. */
const CARGO_HARNESS = /^\s*(?:Running (\S+)(?: \(.*\))?|Doc-tests (\S+))$/;
const LIBTEST_RUNNING = /^running (\d+) tests?$/;
const LIBTEST_RESULT = /^test (\S.*?) \.\.\. \S/;
const LIBTEST_DONE = /^test result: /;

/**
 * The tests a killed test run was still running, as far as its output shows: Go's `=== RUN TestX`
 * with no `--- PASS/FAIL/SKIP: TestX` after it (the subtest, not the tests it runs in; of
 * sequential siblings the last started), libtest's `test x has been running for over 60 seconds`
 * (before that minute, the harness cargo was in and how many of its tests had not ended), in
 * output lines as `outputLines` splits them. Empty when the output shows none, as for runners
 * that name a test only once it ends.
 */
export function stillRunning(lines: readonly string[]): string[] {
  const started: string[] = [];
  const ended = new Set<string>();
  const parallel = new Set<string>();
  const slow: string[] = [];
  let libtest: { name: string; total: number; done: number; ended: boolean } | undefined;
  for (const line of lines) {
    const run = GO_STARTED.exec(line);
    if (run) {
      if (run[1] === 'PAUSE') parallel.add(run[2]);
      else {
        const at = started.indexOf(run[2]);
        if (at >= 0) started.splice(at, 1);
        started.push(run[2]);
        ended.delete(run[2]);
      }
      continue;
    }
    const end = GO_ENDED.exec(line);
    if (end) {
      ended.add(end[1]);
      continue;
    }
    const waiting = LIBTEST_SLOW.exec(line.trim());
    if (waiting && !slow.includes(waiting[1])) slow.push(waiting[1]);
    const harness = CARGO_HARNESS.exec(line);
    if (harness) libtest = { name: harness[1] ?? `doc tests of ${harness[2]}`, total: 0, done: 0, ended: false };
    else if (libtest) {
      const total = LIBTEST_RUNNING.exec(line);
      if (total) libtest.total = Number(total[1]);
      else if (LIBTEST_RESULT.test(line)) libtest.done++;
      else if (LIBTEST_DONE.test(line)) libtest.ended = true;
    }
  }
  // libtest names a slow test only after a minute: before that, the harness it was in and how many of its tests never ended.
  if (slow.length === 0 && libtest && !libtest.ended && libtest.total > libtest.done) {
    slow.push(`${libtest.total - libtest.done} of ${libtest.total} tests of ${libtest.name}`);
  }
  const open = started.filter((name) => !ended.has(name));
  const parent = (name: string) => name.slice(0, Math.max(0, name.lastIndexOf('/')));
  const stuck = open.filter(
    (name, i) =>
      // Not a test that only waits for its subtests, nor one whose later sibling started after it
      // (Go prints a subtest's --- PASS only when its parent ends; only parallel ones overlap).
      !open.some((other) => other.startsWith(`${name}/`)) &&
      (parallel.has(name) || !open.slice(i + 1).some((later) => parent(later) === parent(name) && !parallel.has(later))),
  );
  return [...stuck, ...slow];
}
