import { createWriteStream, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { StageResult } from '../domain/results';
import { toJson, writeFileAtomicSync } from '../store/atomic';
import { insideRoot, stageResultFiles } from '../store/paths';
import { runBuiltinStage, type BuiltinStageRegistry, type PreparedTask, type StageOutcome } from './builtin-stage';
import { runCommandStage } from './command-stage';
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
  /** The built-in stages this runner can run (see `builtin-stage.ts`); without it, built-in stages fail saying so. */
  builtins?: BuiltinStageRegistry;
  /** What the runner already has for a built-in stage (the contract, an early diff). */
  prepared?: PreparedTask;
  /**
   * Nx's hash of this run's inputs (`NX_TASK_HASH`). The inputs cover the code the fingerprint
   * covers, so a previous result with the same hash ran on the same code and its fingerprint
   * is reused instead of taken again (a repeated uncached run, e.g. --skip-nx-cache).
   */
  taskHash?: string;
  signal?: AbortSignal;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;

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
 * Runs one stage: its shell command in the task's code (or, for a built-in stage, Factory's
 * own check), with a timeout; the full (redacted) output to `results/stage-<name>.log`; a
 * StageResult to `results/stage-<name>.json`, written atomically last, so a run that is
 * killed leaves no result claiming anything.
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
  // The code as the stage sees it, taken while the command starts (so it adds no time to a real
  // stage); a stage that rewrites files leaves its result stale, which is the truth.
  const fingerprintTaken =
    reused !== undefined ? Promise.resolve(reused) : (ctx.codeFingerprint?.().catch(() => undefined) ?? Promise.resolve(undefined));
  const startedAt = new Date();
  const where = path.relative(ctx.root, cwd) || '.';
  ctx.out(`factory › ${spec.slug} › ${stage.name}: ${redact(stage.command)}  (in ${where})\n`);
  let outcome: StageOutcome;
  try {
    outcome = stage.builtin
      ? await runBuiltinStage(spec, stage, {
          root: ctx.root,
          codeRoot: ctx.codeRoot,
          cwd,
          builtins: ctx.builtins,
          log: (t) => sink.write(t),
          signal: ctx.signal,
          prepared: ctx.prepared,
        })
      : await runCommandStage(spec, stage, {
          root: ctx.root,
          codeRoot: ctx.codeRoot,
          cwd,
          env: ctx.env,
          redact,
          onOutput: (c) => sink.write(c),
          signal: ctx.signal,
        });
  } finally {
    sink.end();
    await new Promise<void>((res) => log.end(res));
  }
  const { failed } = outcome;
  const summary = redact(outcome.summary);
  const result: StageResult = {
    stage_name: stage.name,
    slug: spec.slug,
    status: failed ? 'failure' : 'success',
    advisory: failed && !stage.required_success,
    exit_code: outcome.exitCode,
    timed_out: outcome.timedOut,
    duration_ms: outcome.durationMs,
    started_at: startedAt.toISOString(),
    finished_at: new Date().toISOString(),
    command: redact(stage.command),
    summary,
    metrics: outcome.metrics,
    code_fingerprint: await fingerprintTaken,
    ...(ctx.taskHash ? { nx_task_hash: ctx.taskHash } : {}),
    log_file: files.log,
    ...(outcome.findings ? { findings: outcome.findings.map((f) => ({ ...f, message: redact(f.message) })) } : {}),
    ...(outcome.warnings ? { warnings: outcome.warnings.map(redact) } : {}),
  };
  writeFileAtomicSync(jsonPath, toJson(result));
  const took = seconds(outcome.durationMs);
  if (!failed) ctx.out(`factory › ${spec.slug} › ${stage.name} passed in ${took}${metricsNote(outcome.metrics)}\n`);
  else {
    const how = outcome.timedOut
      ? 'TIMED OUT'
      : `FAILED (${outcome.exitCode === null ? (outcome.signal ?? 'killed') : `exit ${outcome.exitCode}`})`;
    const advisory = stage.required_success ? '' : ' [advisory: required_success is false, the pipeline goes on]';
    ctx.out(
      `factory › ${spec.slug} › ${stage.name} ${how} in ${took}${advisory}\n  ${summary.split('\n').join('\n  ')}\n  full log: ${files.log}\n`,
    );
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
