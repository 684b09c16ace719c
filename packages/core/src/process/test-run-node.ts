import { addName, causeAt, emptyRun, messageFrom, nextText, type TestRun, type TestRunFormat } from './test-run';

/** The closing counts: TAP comments (`# pass 4`) or the spec reporter's (`ℹ pass 4`). */
const COUNT = /^(?:#|ℹ) (tests|pass|fail|cancelled|skipped|todo) (\d+)$/;
/** TAP: `# Subtest: name` opens a test; `not ok 2 - name # SKIP reason` closes it; four spaces per level. */
const TAP_SUBTEST = /^( *)# Subtest: (.*)$/;
const TAP_RESULT = /^( *)(ok|not ok) \d+(?: - (.*))?$/;
/** Spec: `▶ suite` opens a suite; `✔ name (1.2ms)`, `✖ …`, `﹣ … # reason` close a test or suite. */
const SPEC_SUITE = /^( *)▶ (.*)$/;
const SPEC_RESULT = /^( *)([✔✖﹣]) (.+)$/;
/** The duration that ends a spec result's name, before any `# reason`. */
const SPEC_DURATION = / \(\d+(?:\.\d+)?ms\)(?: # |$)/;
const SPEC_FAILING = /^✖ failing tests:$/;
const SPEC_LOCATION = /^test at (\S+)$/;

/**
 * `node --test` output with the TAP reporter (node 20's default when not on a terminal) or the
 * spec reporter: the closing counts summed over runs (`# tests 0` means none ran), failing
 * leaf tests named `suite › test`. Cancelled tests count as failed, todo as skipped.
 */
export function readNodeTest(lines: readonly string[]): TestRun | undefined {
  const run = emptyRun('node --test');
  const counts = new Map<string, number>();
  let testsLine = -1;
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i].charAt(0);
    const count = first === '#' || first === 'ℹ' ? COUNT.exec(lines[i]) : null;
    if (!count) continue;
    counts.set(count[1], (counts.get(count[1]) ?? 0) + Number(count[2]));
    if (count[1] === 'tests') testsLine = i;
  }
  if (testsLine < 0 || !counts.has('pass') || !counts.has('fail')) return undefined;
  run.passed = counts.get('pass') ?? 0;
  run.failed = (counts.get('fail') ?? 0) + (counts.get('cancelled') ?? 0);
  run.skipped = (counts.get('skipped') ?? 0) + (counts.get('todo') ?? 0);
  if (lines[testsLine].startsWith('#')) readTap(lines, run);
  else readSpec(lines, run);
  run.noneRan = run.passed + run.failed === 0;
  if (run.noneRan) run.noneLine = testsLine;
  return run;
}

/** A leaf's result line comes right after its `# Subtest`; a parent's comes after its children's results. */
function readTap(lines: readonly string[], run: TestRun): void {
  const path: string[] = [];
  let previousDepth = -1;
  for (let i = 0; i < lines.length; i++) {
    const subtest = TAP_SUBTEST.exec(lines[i]);
    if (subtest) {
      const depth = subtest[1].length / 4;
      path.length = depth;
      path.push(subtest[2]);
      continue;
    }
    const result = TAP_RESULT.exec(lines[i]);
    if (!result) continue;
    const depth = result[1].length / 4;
    const isParent = previousDepth > depth;
    previousDepth = depth;
    if (result[2] !== 'not ok' || isParent) continue;
    const name = (result[3] ?? '').replace(/ # (?:SKIP|TODO)\b.*$/i, '');
    addName(run, [...path.slice(0, depth), name].join(' › '));
    if (run.firstFailure < 0) {
      run.firstFailure = i;
      run.cause = tapCause(lines, i + 1, result[1].length + 2);
    }
  }
}

/** The `location:` and `error:` fields of the YAML block under a failing result. */
function tapCause(lines: readonly string[], from: number, indent: number): string {
  const pad = ' '.repeat(indent);
  let location: string | undefined;
  let message = '';
  for (let i = from; i < lines.length && lines[i].startsWith(pad) && lines[i].trim() !== '...'; i++) {
    const field = lines[i].slice(indent);
    if (field.startsWith('location: ')) location = unquote(field.slice('location: '.length));
    else if (field.startsWith('error: ') && message === '') {
      const value = field.slice('error: '.length);
      if (!value.startsWith('|')) message = unquote(value);
      else {
        const parts: string[] = [];
        for (let j = i + 1; j < lines.length && (lines[j].startsWith(`${pad}  `) || lines[j].trim() === ''); j++) {
          if (lines[j].trim() !== '') parts.push(lines[j].trim());
        }
        message = parts.join(' ');
      }
    }
  }
  return causeAt(location, message);
}

function unquote(value: string): string {
  const text = value.trim();
  return text.length >= 2 && (text[0] === "'" || text[0] === '"') && text.endsWith(text[0]) ? text.slice(1, -1) : text;
}

/**
 * Spec reporter: suites open with `▶ name` and close with a result line at the same indent;
 * any other result line is a test. The cause comes from the `✖ failing tests:` list at the end
 * (`test at file:line:col`, then the test and its error).
 */
function readSpec(lines: readonly string[], run: TestRun): void {
  const suites: { indent: number; name: string }[] = [];
  const failingList = lines.findIndex((line) => SPEC_FAILING.test(line));
  const end = failingList < 0 ? lines.length : failingList;
  for (let i = 0; i < end; i++) {
    const suite = SPEC_SUITE.exec(lines[i]);
    if (suite) {
      while (suites.length > 0 && suites[suites.length - 1].indent >= suite[1].length) suites.pop();
      suites.push({ indent: suite[1].length, name: suite[2] });
      continue;
    }
    const result = SPEC_RESULT.exec(lines[i]);
    const duration = result ? SPEC_DURATION.exec(result[3]) : null;
    if (!result || !duration) continue;
    const indent = result[1].length;
    const name = result[3].slice(0, duration.index);
    const top = suites[suites.length - 1];
    if (top && top.indent === indent && top.name === name) {
      suites.pop();
      continue;
    }
    while (suites.length > 0 && suites[suites.length - 1].indent >= indent) suites.pop();
    if (result[2] !== '✖') continue;
    addName(run, [...suites.map((s) => s.name), name].join(' › '));
    if (run.firstFailure < 0) {
      run.firstFailure = i;
      run.cause = messageFrom(lines, i + 1);
    }
  }
  if (failingList >= 0) {
    const at = nextText(lines, failingList + 1);
    const location = at < 0 ? undefined : SPEC_LOCATION.exec(lines[at].trim())?.[1];
    if (location) run.cause = causeAt(location, messageFrom(lines, at + 2));
  }
}

/** `node --test`: its `# tests N` (TAP) or `ℹ tests N` (spec) count. */
export const NODE_TEST: TestRunFormat = {
  starts: '#ℹ',
  mark: (line) => (line.startsWith('# tests ') || line.startsWith('ℹ tests ')) && COUNT.test(line),
  read: readNodeTest,
};
