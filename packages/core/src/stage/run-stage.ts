import { createWriteStream, mkdirSync, rmSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { shownCommand } from '../detect/index';
import type { StageResult } from '../domain/results';
import { toJson, writeFileAtomicSync } from '../store/atomic';
import { insideRoot, symlinkEscape, stageResultFiles, taskPaths } from '../store/paths';
import { runBuiltinStage, type BuiltinStageRegistry, type PreparedTask, type StageOutcome } from './builtin-stage';
import { runCommandStage } from './command-stage';
import { runGit } from '../repo/git';
import { createLineRedactor } from './redacting-writer';
import type { ProcessTag } from '../process/run';
import type { RunnableStage, StageInvocation } from './invocation';

export interface StageRunContext {
  /** The Nx workspace (repository) root, absolute: `.factory/` lives here. */
  root: string;
  /** Where the task's code is: its isolated workspace when it has one, else `root`. */
  codeRoot: string;
  /** Added to the command's environment (e.g. `env` from `.factory/config.yaml`). */
  env?: Record<string, string>;
  /** Masks secrets in output before it reaches the terminal, the log or the result. */
  redact?: (text: string) => string;
  /** Terminal output. */
  out: (text: string) => void;
  /** The tree id of the code the stage judges (see code-hash/tree.ts), recorded in the result for approval. */
  codeTree?: () => Promise<string | undefined>;
  /** The tree id of the code as it is now (not one taken earlier): a test stage's is compared after its command. */
  codeTreeNow?: () => Promise<string | undefined>;
  /** The built-in stages this runner can run (see `builtin-stage.ts`); without it, built-in stages fail saying so. */
  builtins?: BuiltinStageRegistry;
  /** What the runner already has for a built-in stage (the contract, an early diff). */
  prepared?: PreparedTask;
  signal?: AbortSignal;
  /** The task's identity for the processes it starts (the run lock's `tag`): a killed run's leftovers are found by it. */
  tag?: ProcessTag;
}

/** Stages whose commands run the project's tests. */
const TESTS = new Set(['unit-test', 'integration-test', 'e2e']);

/** The files that differ between the tree a stage started on and the code now ([] when unknown or equal). */
async function changedDuring(codeRoot: string, before: string | undefined, now: () => Promise<string | undefined>): Promise<string[]> {
  if (!before) return [];
  try {
    const after = await now();
    if (!after || after === before) return [];
    return (await runGit(['diff-tree', '-r', '--name-only', '-z', before, after], { cwd: codeRoot })).stdout.split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;

/**
 * Runs one stage: its shell command in the task's code (or, for a built-in stage, Factory's
 * own check), with a timeout; the full (redacted) output to `results/stage-<name>.log`; a
 * StageResult to `results/stage-<name>.json`, written atomically last, so a run that is
 * killed leaves no result claiming anything.
 */
export async function runStage(invocation: StageInvocation, ctx: StageRunContext): Promise<StageResult> {
  const stage = invocation.stage as RunnableStage;
  const files = stageResultFiles(invocation.slug, stage.name);
  const jsonPath = path.join(ctx.root, files.json);
  const logPath = path.join(ctx.root, files.log);
  mkdirSync(path.dirname(jsonPath), { recursive: true });
  rmSync(jsonPath, { force: true });
  const dir = stage.working_directory ?? invocation.working_directory;
  const cwd = insideRoot(ctx.codeRoot, dir);
  const misplaced = placeProblem(ctx.codeRoot, dir, cwd);
  const redact = ctx.redact ?? ((t: string) => t);
  const log = createWriteStream(logPath, { encoding: 'utf8' });
  const sink = createLineRedactor(redact, (t) => {
    log.write(t);
    ctx.out(t);
  });
  // The code as the stage sees it, taken while the command starts (so it adds no time to a real
  // stage); a stage that rewrites files leaves its result stale, which is the truth.
  const treeTaken = ctx.codeTree?.().catch(() => undefined) ?? Promise.resolve(undefined);
  const startedAt = new Date();
  const where = path.relative(ctx.root, cwd) || '.';
  // A command of several lines (a guard saying what to install, coverage around the run) is
  // shown by the part that runs the tool; the result records all of it.
  const shown = stage.command.includes('\n') ? shownCommand(stage.tool ?? stage.command.split(/\s+/)[0], stage.command) : stage.command;
  ctx.out(`factory › ${invocation.slug} › ${stage.name}: ${redact(shown)}  (in ${where})\n`);
  let outcome: StageOutcome;
  try {
    outcome = misplaced
      ? refusedOutcome(`${taskPaths(invocation.slug).contract}: working_directory: ${misplaced}`, (t) => sink.write(t))
      : stage.unavailable
        ? unavailableOutcome(stage.unavailable, (t) => sink.write(t))
        : stage.builtin
          ? await runBuiltinStage(invocation, stage, {
              root: ctx.root,
              codeRoot: ctx.codeRoot,
              cwd,
              builtins: ctx.builtins,
              log: (t) => sink.write(t),
              signal: ctx.signal,
              prepared: ctx.prepared,
            })
          : await runCommandStage(invocation, stage, {
              root: ctx.root,
              codeRoot: ctx.codeRoot,
              cwd,
              env: ctx.env,
              redact,
              onOutput: (c) => sink.write(c),
              signal: ctx.signal,
              tag: ctx.tag,
            });
    // A test command that rewrites the code it judges (an `npm test` that runs `prettier --write`)
    // leaves a verdict of code that is no longer there: said now, not first at approval.
    if (TESTS.has(stage.name) && !stage.builtin && !stage.unavailable && !misplaced && ctx.codeTreeNow) {
      const changed = await changedDuring(ctx.codeRoot, await treeTaken, ctx.codeTreeNow);
      if (changed.length) {
        const shown = changed.length > 5 ? `${changed.slice(0, 5).join(', ')} and ${changed.length - 5} more` : changed.join(', ');
        const warning = `the command changed the code it judged (${shown}): this result is of the code before, and approval will call it stale; give the stage a command that only tests, or have it write elsewhere (or git-ignore what it writes)`;
        outcome.warnings = [...(outcome.warnings ?? []), warning];
        sink.write(`warning: ${warning}\n`);
      }
    }
  } finally {
    sink.end();
    await new Promise<void>((res) => log.end(res));
  }
  const { failed } = outcome;
  const summary = redact(outcome.summary);
  const result: StageResult = {
    stage_name: stage.name,
    slug: invocation.slug,
    status: failed ? 'failure' : outcome.skipped ? 'skipped' : 'success',
    advisory: failed && !stage.required_success,
    exit_code: outcome.exitCode,
    timed_out: outcome.timedOut,
    duration_ms: outcome.durationMs,
    started_at: startedAt.toISOString(),
    finished_at: new Date().toISOString(),
    command: redact(stage.command),
    summary,
    metrics: outcome.metrics,
    code_tree: await treeTaken,
    log_file: files.log,
    ...(outcome.findings ? { findings: outcome.findings.map((f) => ({ ...f, message: redact(f.message) })) } : {}),
    ...(outcome.warnings ? { warnings: outcome.warnings.map(redact) } : {}),
    ...(outcome.killed?.length ? { killed: outcome.killed.map((k) => ({ pid: k.pid, command: redact(k.command) })) } : {}),
  };
  writeFileAtomicSync(jsonPath, toJson(result));
  const took = seconds(outcome.durationMs);
  if (outcome.skipped) ctx.out(`factory › ${invocation.slug} › ${stage.name} skipped: ${summary.split('\n')[0]}\n`);
  else if (!failed) ctx.out(`factory › ${invocation.slug} › ${stage.name} passed in ${took}${metricsNote(outcome.metrics)}\n`);
  else {
    // A lint or format verdict comes from the findings in the change, not the tool's exit status (gofmt -d exits 0).
    const inChange = outcome.metrics?.findings_in_change;
    const how = outcome.timedOut
      ? 'TIMED OUT'
      : typeof inChange === 'number' && inChange > 0
        ? `FAILED (${inChange} finding${inChange === 1 ? '' : 's'} in the change)`
        : `FAILED (${outcome.exitCode === null ? (outcome.signal ?? (outcome.killed?.length || outcome.durationMs > 0 ? 'killed' : 'not started')) : `exit ${outcome.exitCode}`})`;
    const advisory = stage.required_success ? '' : ' [advisory: required_success is false, the pipeline goes on]';
    ctx.out(
      `factory › ${invocation.slug} › ${stage.name} ${how} in ${took}${advisory}\n  ${summary.split('\n').join('\n  ')}\n  full log: ${files.log}\n`,
    );
  }
  return result;
}

/**
 * A stage whose tool the project lacks: not configured is recorded as skipped (it is not a red
 * verdict: the project never claimed it), a configured tool that is not installed as a failure
 * saying how to install it.
 */
function unavailableOutcome(u: NonNullable<RunnableStage['unavailable']>, log: (t: string) => void): StageOutcome {
  const summary = u.kind === 'missing' ? `missing tool: ${u.message}` : `not configured: ${u.message}`;
  log(`${summary}\n`);
  return {
    failed: u.kind === 'missing',
    ...(u.kind === 'missing' ? {} : { skipped: true }),
    exitCode: null,
    timedOut: false,
    durationMs: 0,
    summary,
    metrics: {},
  };
}

/** Why a stage cannot run in `dir` (undefined: it can): it does not exist, is no directory, or leads out through a symlink. */
function placeProblem(codeRoot: string, dir: string, abs: string): string | undefined {
  const escape = symlinkEscape(codeRoot, dir);
  if (escape) return `expected a directory inside the repository, got "${dir}", which leads out of it through the symlink ${escape}`;
  let stat: Stats;
  try {
    stat = statSync(abs);
  } catch {
    return `expected an existing directory, got "${dir}" (it does not exist in ${codeRoot})`;
  }
  return stat.isDirectory() ? undefined : `expected a directory, got "${dir}", a file`;
}

/** A stage that cannot run where it is told to: a failure naming why, nothing started. */
function refusedOutcome(summary: string, log: (t: string) => void): StageOutcome {
  log(`${summary}\n`);
  return { failed: true, exitCode: null, timedOut: false, durationMs: 0, summary, metrics: {} };
}

function metricsNote(m: StageResult['metrics']): string {
  return m.coverage_percent !== undefined ? ` (coverage ${m.coverage_percent}%)` : '';
}

/** The runner's exit code for a result: advisory failures and skips do not fail the Nx target. */
export function exitCodeFor(result: StageResult): number {
  return result.status === 'failure' && !result.advisory ? 1 : 0;
}
