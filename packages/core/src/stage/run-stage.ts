import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCoverage } from '../coverage/parse';
import type { StageResult } from '../domain/results';
import { runShellCommand } from '../process/run';
import { extractErrorSummary } from '../process/summary';
import { toJson, writeFileAtomicSync } from '../store/atomic';
import { insideRoot, stageResultFiles } from '../store/paths';
import { createLineRedactor } from './redacting-writer';
import type { RunnableStage, StageRunSpec } from './spec';

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
  /** A fingerprint of the code the stage ran on, recorded in the result (for approval freshness). */
  codeFingerprint?: () => Promise<string | undefined>;
  /**
   * Nx's hash of this run's inputs (`NX_TASK_HASH`). The inputs cover the code the fingerprint
   * covers, so a previous result with the same hash ran on the same code and its fingerprint
   * is reused instead of taken again (a repeated uncached run, e.g. --skip-nx-cache).
   */
  taskHash?: string;
  signal?: AbortSignal;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;

/** Applies the coverage gate; returns a failure summary, or undefined when the gate holds. */
function coverageGate(stage: RunnableStage, output: string, required: number, metrics: StageResult['metrics']): string | undefined {
  if (!stage.coverage) return undefined;
  const figure = parseCoverage(output, stage.coverage.parser);
  if (figure !== undefined) metrics.coverage_percent = figure;
  if (!stage.coverage.gate || required <= 0) return undefined;
  if (figure === undefined) {
    return `could not read a coverage figure from the output (parser "${stage.coverage.parser}"); the contract requires ${required}%`;
  }
  if (figure < required) return `coverage ${figure}% is under the contract's required_test_coverage of ${required}%`;
  return undefined;
}

/** The fingerprint of the last result, when it was made with the same Nx task hash. */
function previousFingerprint(jsonPath: string, taskHash: string): string | undefined {
  try {
    const last = JSON.parse(readFileSync(jsonPath, 'utf8')) as Partial<StageResult>;
    return last.nx_task_hash === taskHash && typeof last.code_fingerprint === 'string' ? last.code_fingerprint : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs one stage: the command in the task's code, with a timeout that kills its whole
 * process tree; the full (redacted) output to `results/stage-<name>.log`; a StageResult to
 * `results/stage-<name>.json`, written atomically last, so a run that is killed leaves no
 * result claiming anything.
 */
export async function runStage(spec: StageRunSpec, ctx: StageRunContext): Promise<StageResult> {
  const stage = spec.stage as RunnableStage;
  const files = stageResultFiles(spec.slug, stage.name);
  const jsonPath = path.join(ctx.root, files.json);
  const logPath = path.join(ctx.root, files.log);
  mkdirSync(path.dirname(jsonPath), { recursive: true });
  const reused = ctx.taskHash ? previousFingerprint(jsonPath, ctx.taskHash) : undefined;
  rmSync(jsonPath, { force: true });

  const cwd = insideRoot(ctx.codeRoot, stage.working_directory ?? spec.working_directory);
  const redact = ctx.redact ?? ((t: string) => t);
  const log = createWriteStream(logPath, { encoding: 'utf8' });
  const sink = createLineRedactor(redact, (t) => {
    log.write(t);
    ctx.out(t);
  });
  const scratch = mkdtempSync(path.join(tmpdir(), `factory-${spec.slug}-${stage.name}-`));
  // The code as the stage sees it, taken while the command starts (so it adds no time to a real
  // stage); a stage that rewrites files leaves its result stale, which is the truth.
  const fingerprintTaken =
    reused !== undefined ? Promise.resolve(reused) : (ctx.codeFingerprint?.().catch(() => undefined) ?? Promise.resolve(undefined));
  const startedAt = new Date();
  const where = path.relative(ctx.root, cwd) || '.';
  ctx.out(`factory › ${spec.slug} › ${stage.name}: ${redact(stage.command)}  (in ${where})\n`);

  let run;
  try {
    run = await runShellCommand(stage.command, {
      cwd,
      env: {
        ...ctx.env,
        ...spec.env,
        ...stage.env,
        FACTORY_SLUG: spec.slug,
        FACTORY_STAGE: stage.name,
        FACTORY_TMP: scratch,
        FACTORY_ROOT: ctx.root,
        FACTORY_CODE_ROOT: ctx.codeRoot,
        FORCE_COLOR: '0',
        NO_COLOR: '1',
      },
      timeoutMs: stage.timeout_seconds * 1000,
      onOutput: (c) => sink.write(c),
      signal: ctx.signal,
    });
  } finally {
    sink.end();
    await new Promise<void>((res) => log.end(res));
    rmSync(scratch, { recursive: true, force: true });
  }

  const output = redact(run.output);
  const metrics: StageResult['metrics'] = {};
  let failed = run.exitCode !== 0;
  let summary: string;
  if (run.spawnError) summary = `could not start the command: ${run.spawnError}`;
  else if (run.timedOut) summary = `timed out after ${stage.timeout_seconds}s; its process tree was killed`;
  else if (run.aborted) summary = 'cancelled; its process tree was killed';
  else summary = extractErrorSummary(output, { exitCode: run.exitCode });
  const gate = failed ? undefined : coverageGate(stage, output, spec.required_test_coverage, metrics);
  if (failed && stage.coverage) coverageGate(stage, output, 0, metrics);
  if (gate) {
    failed = true;
    summary = gate;
  }
  if (run.truncated) metrics.output_truncated = true;

  const result: StageResult = {
    stage_name: stage.name,
    slug: spec.slug,
    status: failed ? 'failure' : 'success',
    advisory: failed && !stage.required_success,
    exit_code: run.exitCode,
    timed_out: run.timedOut,
    duration_ms: run.durationMs,
    started_at: startedAt.toISOString(),
    finished_at: new Date().toISOString(),
    command: redact(stage.command),
    summary,
    metrics,
    code_fingerprint: await fingerprintTaken,
    ...(ctx.taskHash ? { nx_task_hash: ctx.taskHash } : {}),
    log_file: files.log,
  };
  writeFileAtomicSync(jsonPath, toJson(result));

  const took = seconds(run.durationMs);
  if (!failed) ctx.out(`factory › ${spec.slug} › ${stage.name} passed in ${took}${metricsNote(metrics)}\n`);
  else {
    const how = run.timedOut ? 'TIMED OUT' : `FAILED (${run.exitCode === null ? run.signal ?? 'killed' : `exit ${run.exitCode}`})`;
    const advisory = stage.required_success ? '' : ' [advisory: required_success is false, the pipeline goes on]';
    ctx.out(`factory › ${spec.slug} › ${stage.name} ${how} in ${took}${advisory}\n  ${summary.split('\n').join('\n  ')}\n  full log: ${files.log}\n`);
  }
  return result;
}

function metricsNote(m: StageResult['metrics']): string {
  return m.coverage_percent !== undefined ? ` (coverage ${m.coverage_percent}%)` : '';
}

/** The runner's exit code for a result: advisory failures and skips do not fail the Nx target. */
export function exitCodeFor(result: StageResult): number {
  return result.status === 'failure' && !result.advisory ? 1 : 0;
}
