import { addName, causeAt, emptyRun, firstFrame, type TestRun, type TestRunFormat } from './test-run';

/** tape's closing counts, aligned with two spaces after `pass` and `fail`: `# tests 154`, `# pass  153`, `# fail  1`. */
const COUNT = /^# (tests|pass|fail|skip|todo) +(\d+)$/;
/** A test's name: a TAP comment line that is not a count or tape's closing `# ok`. */
const COMMENT = /^# (.+)$/;
/** An assertion's result: `not ok 114 should be strictly equal`, possibly `# SKIP`/`# TODO`. */
const RESULT = /^(ok|not ok) \d+(?: (.*))?$/;
const DIRECTIVE = / # (?:SKIP|TODO)\b.*$/i;
/** A skipped or todo test, which tape names in a comment and leaves out of its counts: `# SKIP later`. */
const SKIPPED_TEST = /^(?:SKIP|TODO) /;

/**
 * tape (and tap-producing runners in its style): TAP without `# Subtest:` lines, where a comment
 * line names the test its assertions belong to. Counts are tape's own (assertions); a failing
 * test is named by its comment, else by the assertion's message. The cause is the assertion's
 * message with its expected and actual values, at the first stack frame outside node_modules.
 */
export function readTape(lines: readonly string[]): TestRun | undefined {
  const run = emptyRun('tape');
  const counts = new Map<string, number>();
  let current = '';
  let skippedTests = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const count = COUNT.exec(line);
    if (count) {
      counts.set(count[1], (counts.get(count[1]) ?? 0) + Number(count[2]));
      continue;
    }
    const result = RESULT.exec(line);
    if (result) {
      if (result[1] === 'ok' || DIRECTIVE.test(line)) continue;
      const message = (result[2] ?? '').trim();
      addName(run, current || message);
      if (run.firstFailure < 0) {
        run.firstFailure = i;
        run.cause = cause(lines, i + 1, message);
      }
      continue;
    }
    const comment = COMMENT.exec(line);
    if (!comment || comment[1] === 'ok' || comment[1].startsWith('Subtest: ')) continue;
    if (SKIPPED_TEST.test(comment[1])) skippedTests++;
    else current = comment[1].trim();
  }
  if (!counts.has('tests') || !counts.has('pass')) return undefined;
  run.passed = counts.get('pass') ?? 0;
  run.failed = counts.get('fail') ?? 0;
  run.skipped = skippedTests + (counts.get('skip') ?? 0) + (counts.get('todo') ?? 0);
  run.noneRan = run.passed + run.failed === 0;
  if (run.noneRan) run.noneLine = lines.findIndex((line) => line.startsWith('# tests '));
  return run;
}

/** The YAML block under a failing assertion (indented, from `---` to `...`): expected, actual and where. */
function cause(lines: readonly string[], from: number, message: string): string {
  let end = from;
  while (end < lines.length && (lines[end].startsWith(' ') || lines[end] === '')) {
    if (lines[end].trim() === '...') break;
    end++;
  }
  // A value is on its key's line, or (tape 5's deepEqual: `expected: |-`) a YAML block scalar on
  // the lines indented under it: those are joined, up to three (`…` where there are more).
  const field = (name: string) => {
    for (let i = from; i < end; i++) {
      const m = new RegExp(`^(\\s+)${name}: +(.*)$`).exec(lines[i]);
      if (!m) continue;
      if (!/^[|>][-+]?$/.test(m[2].trim())) return m[2].trim();
      const block: string[] = [];
      for (let j = i + 1; j < end && lines[j].length - lines[j].trimStart().length > m[1].length; j++) {
        if (block.length === 3) {
          block.push('…');
          break;
        }
        block.push(lines[j].trim());
      }
      return block.join(' ');
    }
    return undefined;
  };
  const expected = field('expected');
  const actual = field('actual');
  const values = expected !== undefined && actual !== undefined ? ` (expected ${expected}, actual ${actual})` : '';
  return causeAt(firstFrame(lines, from, end), `${message}${values}`);
}

/** tape: its aligned `# pass  N` / `# fail  N` counts (node's TAP reporter puts one space). */
export const TAPE: TestRunFormat = {
  starts: '#',
  mark: (line) => /^# (?:pass|fail) {2}\d+$/.test(line),
  read: readTape,
};
