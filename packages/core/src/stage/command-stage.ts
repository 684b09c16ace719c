import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseCoverage } from '../coverage/parse';
import type { StageResult } from '../domain/results';
import { describeKilled } from '../process/leftovers';
import { withLocalBins } from '../process/local-bins';
import { runShellCommand, type ProcessTag } from '../process/run';
import { outputLines } from '../process/output-lines';
import { stillRunning } from '../process/still-running';
import { summarizeOutput } from '../process/summary';
import { linesUnder } from '../findings/base-match';
import { changedLinesOf, type ChangedLines } from '../findings/changed-lines';
import { judgeFindings, type JudgeOptions } from '../findings/judge';
import { parseFindings } from '../findings/parse';
import { resolveFindings } from '../findings/paths';
import type { Finding } from '../findings/finding';
import { readTextIfExists } from '../store/atomic';
import { FACTORY_DIR, taskPaths } from '../store/paths';
import { resolveBase } from '../repo/commits';
import { runGit } from '../repo/git';
import { baseCommitOf } from '../workspace/code-root';
import type { StageFinding } from '../domain/results';
import { testReportMetrics } from '../process/test-report';
import type { TestReport } from '../process/test-report-schema';
import { realInsideRoot } from '../store/paths';
import type { StageOutcome } from './builtin-stage';
import type { RunnableStage, StageInvocation } from './invocation';
import { baseFindings, type BaseFindings } from './base-findings';
import { nodeVersionHint } from './node-engines';
import { bytecodeDirectory, openScratch } from './scratch';

export interface CommandRunContext {
  root: string;
  codeRoot: string;
  cwd: string;
  env?: Record<string, string>;
  redact: (text: string) => string;
  /** Every chunk of output, as it arrives. */
  onOutput: (chunk: string) => void;
  signal?: AbortSignal;
  tag?: ProcessTag;
}

/** Stages whose commands run tests: one that ran none fails unless `allow_no_tests`. */
const TEST_STAGES = new Set(['unit-test', 'integration-test', 'e2e']);
/** Test runners that end every run they finish with a summary of counts. */
const SUMMARIZING = new Set(['jest', 'vitest']);
/**
 * Test runners that print counts whenever they run a test (alone or under c8 or nyc): a run of
 * theirs that exits 0 and printed none ran no test (bare `tape`, given no file, prints nothing).
 */
const COUNTING = new Set(['jest', 'vitest', 'mocha', 'ava', 'tape', 'tap']);

/** The prefix of a coverage `report_file` that stands for the stage's scratch directory. */
export const SCRATCH_PREFIX = '$FACTORY_TMP/';

/**
 * Where a coverage `report_file` is: relative to the stage's working directory, or under the
 * scratch directory when it starts with `$FACTORY_TMP/` (where the standard commands write).
 */
export function reportFilePath(reportFile: string, cwd: string, scratch: string): string {
  return reportFile.startsWith(SCRATCH_PREFIX)
    ? realInsideRoot(scratch, reportFile.slice(SCRATCH_PREFIX.length), 'report_file')
    : realInsideRoot(cwd, reportFile, 'report_file');
}

interface CoverageSource {
  text: string;
  /** Where the figure was read, for messages. */
  from: string;
}

function coverageSource(stage: RunnableStage, output: string, cwd: string, scratch: string): CoverageSource | string {
  const file = stage.coverage?.report_file;
  if (!file) return { text: output, from: 'the output' };
  try {
    return { text: readFileSync(reportFilePath(file, cwd, scratch), 'utf8'), from: `report_file ${file}` };
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (e as Error).message;
    return `could not read the coverage report_file ${JSON.stringify(file)}: ${why}; the command must write it`;
  }
}

/** A line a standard test command prints when this machine cannot measure coverage (and why). */
const UNAVAILABLE = /^factory: coverage unavailable: (.+)$/m;
/**
 * What a command prints, exiting 0, when the tool Factory chose by default for a project that
 * configures none is not installed where the stage runs (known only then: it depends on the
 * stage's PYTHON): the stage is skipped as not configured, as when detection finds no tool. Only
 * as the output's first line, before the tool runs: what a tool or a test prints later is not.
 */
const NOT_CONFIGURED = /^factory: not configured: (.+)$/;

/**
 * Reads the coverage figure into `metrics` and applies the gate; returns a failure summary, or
 * undefined when the gate holds. A gated stage whose figure cannot be read fails whatever the
 * floor (a figure that cannot be read is never green); an ungated one (a test run that feeds the
 * coverage stage) records the figure, or why there is none.
 */
function coverageGate(
  stage: RunnableStage,
  source: CoverageSource | string,
  required: number,
  metrics: StageResult['metrics'],
): string | undefined {
  if (!stage.coverage) return undefined;
  metrics.coverage_parser = stage.coverage.parser;
  if (typeof source === 'string') return stage.coverage.gate ? source : undefined;
  const figure = parseCoverage(source.text, stage.coverage.parser);
  if (figure !== undefined) metrics.coverage_percent = figure;
  else {
    const why = UNAVAILABLE.exec(source.text)?.[1];
    if (why) metrics.coverage_unavailable = why.trim();
  }
  if (!stage.coverage.gate) return undefined;
  if (figure === undefined) {
    const floor = required > 0 ? `; the contract requires ${required}%` : '';
    return `could not read a coverage figure from ${source.from} (parser "${stage.coverage.parser}" found no total)${floor}`;
  }
  if (figure < required) return `coverage ${figure}% is under the contract's required_test_coverage of ${required}%`;
  return undefined;
}

/**
 * A jest test path pattern that selects every test but those under the judged code's `.factory/`
 * (the other tasks' workspaces): jest 29 matches it against absolute paths, jest 30 against the
 * path relative to its rootDir too (either match selects a test), so both forms are refused.
 */
export function testsPattern(codeRoot: string): string {
  const root = codeRoot.replace(/[\\/]+$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return `^(?!\\.factory/|${root}/\\.factory/)`;
}

/**
 * A passing test run's summary starts with the counts the runner printed (`23 passed, 1 skipped`),
 * which its closing line need not hold: a run with coverage ends on the coverage total (vitest's
 * `Lines : 100% ( 38/38 )`, Go's `total: (statements) 72.3%`), ava's on its todo count.
 */
function passedFirst(tests: TestReport, summary: string): string {
  if (tests.passed === null || tests.none_ran) return summary;
  const counts = `${tests.passed} passed${tests.skipped ? `, ${tests.skipped} skipped` : ''}`;
  if (new RegExp(`\\b${tests.passed} (?:tests? )?passed\\b`).test(summary)) return summary;
  const tool = summary.split('\n')[0].replace(/\s+/g, ' ').trim();
  // tape's closing `# ok` says no more than the counts.
  return tool && !/^(?:# )?ok$/.test(tool) ? `${counts}; ${tool}` : counts;
}

/**
 * A passing summary that ends on a coverage table's total row, whose columns are not shown
 * (llvm-cov's `TOTAL 2687 171 93.64% 199 24 87.94% 1414 115 91.87% …`: regions, functions,
 * lines; coverage.py's `TOTAL 386 52 85 12 85.56%`), names the figure read instead, so that
 * another column is not taken for it.
 */
function coverageNamed(summary: string, figure: StageResult['metrics'][string] | undefined): string {
  const at = summary.lastIndexOf('; ');
  if (typeof figure !== 'number' || !/^TOTAL\s/.test(summary.slice(at + 2))) return summary;
  return `${at < 0 ? '' : summary.slice(0, at + 2)}coverage ${figure}%`;
}

/** The shell's exit code for a command it cannot find. */
const NO_SUCH_COMMAND = 127;

/**
 * How long a test runner that can end a stuck test itself (`go test -timeout`) may run: before the
 * stage's own timeout (a tenth of it, at least 5 s), so that the runner, which knows which test is
 * stuck, names it; never longer than Go's own default of 10 minutes.
 */
export function testTimeout(stageSeconds: number): string {
  return `${Math.max(1, Math.min(600, stageSeconds - Math.max(5, Math.ceil(stageSeconds / 10))))}s`;
}

/**
 * A shell's words for a command it cannot find, with the command: dash's `sh: 1: pnpm: not found`,
 * bash's `bash: pnpm: command not found`, and either's `script.sh: line 3: …` from a script.
 */
const NOT_FOUND = /^\S+: (?:(?:line )?\d+: )?([^\s:/'"]+): (?:command )?not found$/;

/** The command the shell could not find, as it named it in the output, if it did. */
export function missingCommand(lines: readonly string[]): string | undefined {
  for (const line of lines) {
    const m = NOT_FOUND.exec(line.trim());
    if (m) return m[1];
  }
  return undefined;
}

/**
 * Where to look when the shell found no such command: the stage's command in the contract, when
 * it names the missing command or none was named; else the command is run by the project's own
 * scripts (magic-string's pretest runs pnpm), so it is the tool to install, not the contract to change.
 */
export function noSuchCommand(slug: string, stage: string, command?: string, missing?: string): string {
  const contract = `.factory/${slug}/contract.yaml (or .factory/contract.yaml)`;
  if (!missing)
    return `the shell found no such command (exit 127): check the command of stage ${stage} in ${contract}, or install the tool it runs`;
  const words = new Set((command ?? '').split(/[\s;&|()'"=]+/));
  if (words.has(missing))
    return `${missing} is not installed where the stage runs (exit 127): install it, or change the command of stage ${stage} in ${contract}`;
  return `${missing} is not installed where the stage runs (exit 127), and the stage's command runs it through the project's own scripts: install ${missing} (or the project's dependencies), or give stage ${stage} a command in ${contract}`;
}

/**
 * Runs a stage's shell command in its working directory, with a timeout that kills its whole
 * process tree and a scratch directory (`$FACTORY_TMP`) removed afterwards; applies the
 * coverage gate of a stage that has one.
 */
export async function runCommandStage(invocation: StageInvocation, stage: RunnableStage, ctx: CommandRunContext): Promise<StageOutcome> {
  // The task's change, read while the tool runs: lint and format judge only it (see findings/).
  const judgesChange = stage.findings !== undefined && (stage.scope ?? 'change') === 'change';
  const changes = judgesChange || stage.not_judged ? taskChangedLines(ctx.root, ctx.codeRoot, invocation.slug) : undefined;
  const scratch = openScratch(ctx.root, invocation.slug, stage.name);
  try {
    const chosen = { ...invocation.env, ...stage.env };
    const env = { ...ctx.env, ...chosen };
    const runsTests = TEST_STAGES.has(stage.name) || stage.coverage !== undefined;
    const runEnv = {
      ...env,
      // As in CI: tools that would watch or prompt run once (kcd-scripts' jest --watch hung a stage
      // for its whole timeout); the contract's and config's env choose otherwise.
      CI: env.CI ?? 'true',
      // The project's own tools by name, as in its package.json scripts (detection relies on it).
      PATH: withLocalBins(ctx.cwd, env.PATH ?? process.env.PATH),
      FACTORY_SLUG: invocation.slug,
      FACTORY_STAGE: stage.name,
      FACTORY_TMP: scratch,
      FACTORY_ROOT: ctx.root,
      FACTORY_CODE_ROOT: ctx.codeRoot,
      FACTORY_TESTS_PATTERN: testsPattern(ctx.codeRoot),
      FACTORY_TEST_TIMEOUT: testTimeout(stage.timeout_seconds),
      // A tool's output is read without colour. Tests run with neither variable, as in CI (Nx
      // passes FORCE_COLOR=true; kleur's and commander's tests of their colours fail under either).
      FORCE_COLOR: chosen.FORCE_COLOR ?? (runsTests ? undefined : '0'),
      NO_COLOR: chosen.NO_COLOR ?? (runsTests ? undefined : '1'),
      PYTHONPYCACHEPREFIX: env.PYTHONPYCACHEPREFIX ?? bytecodeDirectory(scratch),
    };
    const run = await runShellCommand(stage.command, {
      cwd: ctx.cwd,
      env: runEnv,
      timeoutMs: stage.timeout_seconds * 1000,
      onOutput: ctx.onOutput,
      signal: ctx.signal,
      tag: ctx.tag,
    });
    const output = ctx.redact(run.output);
    // A default tool the project never chose that this machine lacks (pyflakes): not a red verdict.
    const unconfigured = run.exitCode === 0 ? NOT_CONFIGURED.exec(output.split('\n', 1)[0])?.[1] : undefined;
    if (unconfigured) {
      return {
        failed: false,
        skipped: true,
        exitCode: 0,
        timedOut: false,
        durationMs: run.durationMs,
        summary: `not configured: ${unconfigured}`,
        metrics: {},
      };
    }
    const metrics: StageResult['metrics'] = {};
    let failed = run.exitCode !== 0;
    let findings: StageFinding[] | undefined;
    let summary: string;
    if (run.spawnError) summary = `could not start the command: ${run.spawnError}`;
    else if (run.timedOut) {
      const what = run.killed.length ? `: ended ${describeKilled(run.killed.map((k) => ({ ...k, command: ctx.redact(k.command) })))}` : '';
      const stuck = stillRunning(outputLines(output));
      const names = stuck.length > 3 ? `${stuck.slice(0, 3).join(', ')}, and ${stuck.length - 3} more` : stuck.join(', ');
      summary = `timed out after ${stage.timeout_seconds}s${stuck.length ? ` (still running: ${names})` : ''}; every process it started was killed${what}`;
    } else if (run.aborted) summary = 'cancelled; its process tree was killed';
    else {
      const read = summarizeOutput(output, { exitCode: run.exitCode });
      // A guard of Factory's own commands already says what is not installed and how to install it.
      const saysMissing = /^error: \S+ is not installed for /.test(read.summary);
      // Paths as the stage's directory sees them: no machine's folder (a task workspace's) in a cause.
      const said = read.summary.split(`${ctx.cwd}${path.sep}`).join('');
      summary =
        run.exitCode === NO_SUCH_COMMAND && !saysMissing
          ? `${said}; ${noSuchCommand(invocation.slug, stage.name, stage.command, missingCommand(outputLines(output)))}`
          : said;
      // A runner that prints a summary of counts but printed none stopped early: said, or its
      // last words read as the runner's own refusal (commander's tests exit on jest's arguments).
      if (failed && !read.tests && TEST_STAGES.has(stage.name) && SUMMARIZING.has(stage.tool ?? '') && run.exitCode !== NO_SUCH_COMMAND) {
        summary = `${stage.tool} stopped before its summary, so no test was counted: ${summary}`;
      }
      if (
        !failed &&
        !read.tests &&
        TEST_STAGES.has(stage.name) &&
        COUNTING.has((stage.tool ?? '').split(' ')[0]) &&
        !stage.allow_no_tests
      ) {
        failed = true;
        summary = `${stage.tool} printed no test counts, so no test was seen to run; give it the project's test files, or set allow_no_tests: true on stage ${stage.name} in the contract`;
      }
      if (read.tests) {
        Object.assign(metrics, testReportMetrics(read.tests));
        // A test stage that ran no test proves nothing: not green, unless the contract allows it.
        if (!failed && read.tests.none_ran && TEST_STAGES.has(stage.name) && !stage.allow_no_tests) {
          failed = true;
          summary = `no tests ran (${summary.split('\n')[0]}); add tests, or set allow_no_tests: true on stage ${stage.name} in the contract`;
        } else if (!failed) summary = passedFirst(read.tests, summary);
      }
    }
    if (stage.findings && !run.spawnError && !run.timedOut && !run.aborted) {
      const onBase = (base: string) =>
        baseFindings({
          codeRoot: ctx.codeRoot,
          base,
          cwd: ctx.cwd,
          command: stage.command,
          format: stage.findings as NonNullable<RunnableStage['findings']>,
          env: runEnv,
          chosenEnv: { ...invocation.env, ...stage.env },
          timeoutMs: stage.timeout_seconds * 1000,
          redact: ctx.redact,
          signal: ctx.signal,
          tag: ctx.tag,
        });
      const judged = await judgeStageFindings(stage, output, run.exitCode, summary, ctx, changes, onBase);
      failed = judged.failed;
      summary = judged.summary;
      Object.assign(metrics, judged.metrics);
      findings = judged.findings;
    }
    if (stage.coverage) {
      const source = coverageSource(stage, output, ctx.cwd, scratch);
      const gate = coverageGate(stage, source, invocation.required_test_coverage, metrics);
      // A command that failed keeps its own cause; the gate judges a run that passed.
      if (gate && !failed) {
        failed = true;
        summary = gate;
      } else if (!failed) summary = coverageNamed(summary, metrics.coverage_percent);
    }
    if (stage.not_judged && changes) {
      const left = await changedOutOfReach(stage.not_judged, ctx, changes);
      if (left) {
        failed = true;
        summary = `${left}\n${summary.split('\n')[0]}`;
      }
    }
    // A crash (the command failed, yet no test and no finding did) may be the Node it ran on: said
    // when the project or a package its output names asks for another.
    const crashed = failed && run.exitCode !== 0 && !run.spawnError && !run.timedOut && !run.aborted;
    if (crashed && !(Number(metrics.tests_failed) > 0) && !(Number(metrics.findings_in_change) > 0)) {
      const hint = await nodeVersionHint(output, ctx.cwd, ctx.codeRoot);
      if (hint) summary = summary.replace(/^[^\n]*/, (first) => `${first}${hint}`);
    }
    if (run.truncated) metrics.output_truncated = true;
    return {
      failed,
      exitCode: run.exitCode,
      signal: run.signal,
      timedOut: run.timedOut,
      durationMs: run.durationMs,
      summary,
      metrics,
      ...(findings ? { findings } : {}),
      ...(run.killed.length ? { killed: run.killed } : {}),
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const ownFolder = (file: string) => file === FACTORY_DIR || file.startsWith(`${FACTORY_DIR}/`);

/** Which of the findings' files outside the change git ignores (paths relative to `codeRoot`); none when git cannot say. */
async function ignoredFiles(codeRoot: string, findings: readonly Finding[], changed: ChangedLines): Promise<Set<string>> {
  const files = [...new Set(findings.map((f) => f.file))].filter((f) => !changed.has(f));
  if (!files.length) return new Set();
  try {
    const r = await runGit(['check-ignore', '-z', '--stdin'], { cwd: codeRoot, input: `${files.join('\0')}\0`, allowExitCodes: [1] });
    return new Set(r.stdout.split('\0').filter(Boolean));
  } catch {
    return new Set();
  }
}

/** How many findings a result lists (the log has them all). */
const MAX_FINDINGS = 200;

/** The task's base commit (`HEAD` when task.yaml names none) and the lines changed since, or why they could not be read. */
async function taskChangedLines(root: string, codeRoot: string, slug: string): Promise<TaskChange | Error> {
  try {
    const base = await resolveBase(codeRoot, baseCommitOf(readTextIfExists(path.join(root, taskPaths(slug).task)) ?? '') ?? 'HEAD');
    return { base, changed: await changedLinesOf(codeRoot, base) };
  } catch (e) {
    return e as Error;
  }
}

interface TaskChange {
  base: string;
  changed: ChangedLines;
}

/**
 * The task's changed files in directories the stage's command does not reach (golang-lru's `arc`,
 * a Go module of its own): said as the stage's cause, since a verdict on the rest says nothing of
 * them. Undefined when the change has none there.
 */
async function changedOutOfReach(
  notJudged: NonNullable<RunnableStage['not_judged']>,
  ctx: CommandRunContext,
  changes: Promise<TaskChange | Error>,
): Promise<string | undefined> {
  const change = await changes;
  if (change instanceof Error) return undefined;
  const here = path.relative(ctx.codeRoot, ctx.cwd).split(path.sep).join('/');
  const dirs = notJudged.paths.map((p) => (here ? `${here}/${p}` : p));
  const files = [...change.changed.keys()].filter((f) => dirs.some((d) => f.startsWith(`${d}/`)));
  if (files.length === 0) return undefined;
  const where = dirs.filter((d) => files.some((f) => f.startsWith(`${d}/`))).join(', ');
  const n = files.length;
  return `${n} changed file${n === 1 ? '' : 's'} in ${where} not judged by this stage (${files.slice(0, 3).join(', ')}${n > 3 ? ', …' : ''}): ${notJudged.why}`;
}

/** A finding as a result lists it; a tool that names no rule (pyflakes, go vet, clippy's short format) stands for it. */
const toStageFinding = (f: Finding, tool: string, preexisting: boolean, warning = false): StageFinding => ({
  rule: f.rule ?? tool,
  ...(f.file ? { file: f.file } : {}),
  ...(f.line !== undefined ? { line: f.line } : {}),
  ...(f.column !== undefined ? { column: f.column } : {}),
  message: f.message,
  ...(preexisting ? { preexisting: true } : {}),
  ...(warning ? { warning: true } : {}),
});

/**
 * A lint or format stage's verdict from its findings: with scope `change`, only findings in the
 * lines (or, for tools that report files, the files) the task changed fail it; those that were
 * already there are counted and listed. A tool that failed with no finding read is a tool error.
 */
async function judgeStageFindings(
  stage: RunnableStage,
  output: string,
  exitCode: number | null,
  toolSummary: string,
  ctx: CommandRunContext,
  changes: Promise<TaskChange | Error> | undefined,
  onBase: (base: string) => Promise<BaseFindings>,
): Promise<{ failed: boolean; summary: string; metrics: StageResult['metrics']; findings?: StageFinding[] }> {
  const scope = stage.scope ?? 'change';
  const read = resolveFindings(parseFindings(output, stage.findings as NonNullable<RunnableStage['findings']>), {
    cwd: ctx.cwd,
    root: ctx.codeRoot,
  });
  // Factory's own folder (task records, the tasks' workspaces) is no code of the project's: a tool
  // that walks into it (flake8 run at the workspace root) reports every task's copy of the code.
  const parsed = read.filter((f) => !ownFolder(f.file));
  const leftOut = read.length - parsed.length;
  const notJudged: string[] =
    leftOut > 0 ? [`${leftOut} finding${leftOut === 1 ? '' : 's'} in ${FACTORY_DIR}/ not judged: Factory's own folder`] : [];
  const change = changes ? await changes : undefined;
  if (change instanceof Error) {
    return {
      failed: true,
      summary: `could not read the task's change to judge its findings: ${change.message.split('\n')[0]}`,
      metrics: {},
    };
  }
  const changed: ChangedLines = change?.changed ?? new Map();
  // Files git ignores are no code of the task's (a coverage report a test run wrote where the
  // project's own formatter ignores it): their findings are left out, as the task's change leaves them.
  const ignored = scope === 'change' ? await ignoredFiles(ctx.codeRoot, parsed, changed) : new Set<string>();
  if (ignored.size) {
    const before = parsed.length;
    parsed.splice(0, parsed.length, ...parsed.filter((f) => !ignored.has(f.file)));
    const n = before - parsed.length;
    notJudged.push(`${n} finding${n === 1 ? '' : 's'} in files git ignores not judged`);
  }
  const granularity = stage.findings === 'file-list' ? 'file' : 'line';
  const warningsFail = stage.fail_on_warnings !== false;
  // A tool whose findings were all in Factory's folder (or in ignored files) exited non-zero for those.
  const options: JudgeOptions = {
    scope,
    exitCode: leftOut > 0 || ignored.size > 0 ? 0 : exitCode,
    granularity,
    warningsFail,
    toolErrorSummary: toolSummary,
  };
  let v = judgeFindings(parsed, changed, options);
  // Findings off the changed lines need not have been there before: compared with the base's
  // (base-findings.ts). When the base cannot be linted they stay already there, and the summary says so.
  if (change && granularity === 'line' && v.preexisting.length > 0) {
    const there = await onBase(change.base);
    if ('error' in there)
      v = { ...v, summary: `${v.summary} (the findings off the changed lines were not compared with the base commit: ${there.error})` };
    else v = judgeFindings(parsed, changed, { ...options, base: { findings: there.findings, lineOf: linesUnder(ctx.codeRoot) } });
  }
  const tool = stage.tool ?? stage.command.split(/\s+/)[0];
  const findings = [
    ...v.inChange.map((f) => toStageFinding(f, tool, false)),
    ...v.warnings.map((f) => toStageFinding(f, tool, false, true)),
    ...v.preexisting.map((f) => toStageFinding(f, tool, true)),
  ].slice(0, MAX_FINDINGS);
  return {
    failed: v.failed,
    summary: `${v.summary}${notJudged.length ? ` (${notJudged.join('; ')})` : ''}`,
    metrics: {
      findings_in_change: v.inChange.length,
      findings_already_there: v.preexisting.length,
      ...(v.warnings.length > 0 ? { warnings_in_change: v.warnings.length } : {}),
    },
    ...(findings.length ? { findings } : {}),
  };
}
