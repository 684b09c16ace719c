import { addName, causeAt, emptyRun, firstFrame, nextText, type TestRun, type TestRunFormat } from './test-run';

/** uvu's closing counts, one to a line: `  Total:     32`, `  Passed:    31`, `  Skipped:   0`. */
const COUNT = /^(Total|Passed|Skipped): +(\d+)$/;
/** A failure's heading: `  FAIL  "strings (variadic)"`. */
const FAIL = /^FAIL +"(.*)"$/;
/** A test file's heading, above its dots: `index.js`, or from the directory uvu was given: `test/colors.js` (lukeed/kleur). */
const FILE = /^(?:[^\s/]+\/)*[^\s/]+\.(?:[cm]?[jt]sx?)$/;
/** Where a failure's stack leaves for a new part of the report. */
const BLOCK_END = /^(?:FAIL +"|Total: )/;

/**
 * uvu: its closing `Total` (tests run), `Passed` and `Skipped` counts, and its `FAIL "title"`
 * headings, each named after the test file whose dots came last (`index.js › objects`). The cause
 * is the first failure's message at the first stack frame outside node_modules. Every test
 * skipped (`Total: 0`) is no test run.
 */
export function readUvu(lines: readonly string[]): TestRun | undefined {
  const run = emptyRun('uvu');
  const counts = new Map<string, number>();
  let file = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    const count = COUNT.exec(line);
    if (count) {
      counts.set(count[1], (counts.get(count[1]) ?? 0) + Number(count[2]));
      continue;
    }
    if (FILE.test(line)) {
      file = line;
      continue;
    }
    const fail = FAIL.exec(line);
    if (!fail) continue;
    addName(run, file ? `${file} › ${fail[1]}` : fail[1]);
    if (run.firstFailure < 0) {
      run.firstFailure = i;
      let end = i + 1;
      while (end < lines.length && !BLOCK_END.test(lines[end].trim())) end++;
      const message = nextText(lines, i + 1, end);
      const text =
        message < 0 ? '' : lines[message].trim().replace(/ +\((?:is|equal|ok|not|match|type|instance|throws|unreachable)\)$/, '');
      run.cause = causeAt(firstFrame(lines, i + 1, end), text);
    }
  }
  if (!counts.has('Total') || !counts.has('Passed')) return undefined;
  const total = counts.get('Total') ?? 0;
  run.passed = counts.get('Passed') ?? 0;
  run.failed = Math.max(0, total - run.passed);
  run.skipped = counts.get('Skipped') ?? 0;
  run.noneRan = total === 0;
  if (run.noneRan) run.noneLine = lines.findIndex((l) => /^\s*Total: +0$/.test(l));
  return run;
}

/** uvu: its `Total:` line. */
export const UVU: TestRunFormat = {
  starts: ' T',
  mark: (line) => /^\s*Total: +\d+$/.test(line),
  read: readUvu,
};
