import { addName, causeAt, emptyRun, firstFrame, type TestRun, type TestRunFormat } from './test-run';

/** `# Subtest: name` opens a subtest, at the indent of the result that closes it (four spaces a level). */
const SUBTEST = /^( *)# Subtest: (.*)$/;
/** A test point: `not ok 1 - Never a blank first line`, `ok 3 - test/foo.js # time=78ms`, `ok 2 - x # SKIP why`. */
const RESULT = /^( *)(ok|not ok) \d+(?: - (.*?))?(?: # (time=\S+|SKIP\b.*|TODO\b.*))?$/i;
/** node-tap's top-level closing comment (`# time=686.643ms`); tape and node's reporter print none. */
const TIME = /^# time=\d+(?:\.\d+)?m?s$/;

/**
 * node-tap (16, and 18 and later with its `# { total, pass }` line, which is left alone): `# Subtest:` blocks nested four spaces a level, each
 * closed by a result at its own indent; the other results are assertions, which are what tap
 * counts (its classic reporter's `40 passing`). A failing assertion is named by its subtests and
 * its message (`test/foo.js › never a blank first or last line › Never a blank first line`); a
 * subtest that fails with no failing assertion inside (a test file that could not load) is an
 * error, named by its path. tap prints no closing counts, so they are counted here.
 */
export function readTap(lines: readonly string[]): TestRun | undefined {
  if (!lines.some((line) => TIME.test(line))) return undefined;
  const run = emptyRun('tap');
  let passed = 0;
  let skipped = 0;
  /** Open subtests by depth: name, and how many failures (and errors) had been seen when it opened. */
  const open: ({ name: string; failuresBefore: number } | undefined)[] = [];
  const path = (depth: number) => open.slice(0, depth).map((s) => s?.name ?? '');
  for (let i = 0; i < lines.length; i++) {
    const subtest = SUBTEST.exec(lines[i]);
    if (subtest) {
      const depth = subtest[1].length / 4;
      open.length = depth;
      open[depth] = { name: subtest[2].trim(), failuresBefore: run.failed + run.errors };
      continue;
    }
    const result = RESULT.exec(lines[i]);
    if (!result || result[1].length % 4 !== 0) continue;
    const depth = result[1].length / 4;
    const directive = (result[4] ?? '').toUpperCase();
    const name = (result[3] ?? '').trim();
    const parent = open[depth];
    if (parent && (parent.name === name || name === '')) {
      open.length = depth;
      if (result[2] === 'not ok' && !directive.startsWith('TODO') && run.failed + run.errors === parent.failuresBefore) {
        run.errors++;
        addName(run, [...path(depth), parent.name].join(' › '));
        if (run.firstFailure < 0) {
          run.firstFailure = i;
          run.cause =
            killedByTimeout(lines, i + 1, depth * 4 + 2, parent.name) ??
            loadError(lines, parent.name) ??
            cause(lines, i + 1, depth * 4 + 2, parent.name);
        }
      }
      continue;
    }
    if (directive.startsWith('SKIP') || directive.startsWith('TODO')) skipped++;
    else if (result[2] === 'ok') passed++;
    else {
      run.failed++;
      failure(lines, i, run, [...path(depth), name].filter(Boolean).join(' › '), depth);
    }
  }
  run.passed = passed;
  run.skipped = skipped;
  run.noneRan = passed + run.failed + run.errors === 0;
  if (run.noneRan) run.noneLine = lines.findIndex((line) => TIME.test(line));
  return run;
}

function failure(lines: readonly string[], i: number, run: TestRun, name: string, depth: number): void {
  addName(run, name);
  if (run.firstFailure >= 0) return;
  run.firstFailure = i;
  run.cause = cause(lines, i + 1, depth * 4 + 2, (RESULT.exec(lines[i])?.[3] ?? '').trim());
}

/**
 * A test file tap ended at its own `timeout` (30 s by default; npm/node-semver's `test/bin/semver.js`
 * on a loaded machine), as the YAML under its result says (`timeout: 30000`, `signal: SIGTERM`).
 */
function killedByTimeout(lines: readonly string[], from: number, indent: number, file: string): string | undefined {
  const fields = yamlFields(lines, from, indent);
  const timeout = fields?.get('timeout');
  const signal = fields?.get('signal');
  return timeout && signal && signal !== 'null' ? `${file}: killed (${signal}) at tap's timeout of ${timeout} ms` : undefined;
}

/** A JavaScript error's first line (`Error: Cannot find module './x'`, `TypeError: …`), as node prints an uncaught one. */
const JS_ERROR = /^(?:[A-Z]\w*)?Error: \S/;

/**
 * Why a test file failed with no failing assertion: the uncaught error node printed for it (on
 * stderr, so anywhere in the output), at its first frame in that file, else the first such error.
 */
function loadError(lines: readonly string[], file: string): string | undefined {
  let first: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    if (!JS_ERROR.test(lines[i])) continue;
    const at = firstFrame(lines, i + 1, i + 20);
    const text = causeAt(at, lines[i].trim());
    if (at && (at.endsWith(`/${file}`) || at.includes(`/${file}:`) || at.startsWith(`${file}:`))) return text;
    first ??= text;
  }
  return first;
}

/**
 * The YAML block under a failing result (`---` to `...`): where (`at:` with `file:` and `line:`,
 * tap 18 and later `fileName:` and `lineNumber:`)
 * and, when tap gives them, what was wanted and found; the message is the assertion's.
 */
function cause(lines: readonly string[], from: number, indent: number, message: string): string {
  const fields = yamlFields(lines, from, indent);
  if (!fields) return message;
  const file = fields.get('at.file') ?? fields.get('at.fileName');
  const line = fields.get('at.line') ?? fields.get('at.lineNumber');
  const wanted = fields.get('wanted');
  const found = fields.get('found');
  const values =
    wanted !== undefined && found !== undefined && wanted !== '' && found !== '' && !/^[|>]/.test(wanted + found)
      ? ` (wanted ${wanted}, found ${found})`
      : '';
  return causeAt(file && line ? `${file}:${line}` : undefined, `${message}${values}`);
}

/**
 * The fields of the YAML block (`---` to `...`) under a result, at `indent`: a top-level key by
 * its name, a nested one as `section.key` (`at.file`); the first of each. Undefined without a block.
 */
function yamlFields(lines: readonly string[], from: number, indent: number): Map<string, string> | undefined {
  const pad = ' '.repeat(indent);
  if (lines[from]?.trim() !== '---') return undefined;
  const fields = new Map<string, string>();
  let section = '';
  for (let i = from + 1; i < lines.length && lines[i].startsWith(pad) && lines[i].trim() !== '...'; i++) {
    const field = /^( *)([\w-]+): ?(.*)$/.exec(lines[i].slice(indent));
    if (!field) continue;
    if (field[1] === '') section = field[2];
    const key = field[1] === '' ? field[2] : `${section}.${field[2]}`;
    if (!fields.has(key)) fields.set(key, field[3].trim());
  }
  return fields;
}

/** node-tap: its `# time=…ms` closing comment at the top level. */
export const TAP: TestRunFormat = { starts: '#', mark: (line) => TIME.test(line), read: readTap };
