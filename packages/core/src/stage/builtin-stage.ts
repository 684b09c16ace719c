import type { StageFinding, StageResult } from '../domain/results';
import type { KilledProcess } from '../process/run';
import type { LoadedContract } from '../store/load';
import type { EarlyChanges } from './early-changes';
import type { RunnableStage, StageInvocation } from './invocation';

/** What the stage runner already has when a built-in stage starts, so the stage need not read or compute it again. */
export interface PreparedTask {
  /** The task's validated contract (the runner read it to know the stage). */
  contract?: LoadedContract;
  /** The task's diff, started before the built-in stages' code loaded (see early-changes.ts). */
  changes?: EarlyChanges;
  /** Who runs the stage, as the runner records it (looked up once per run). */
  actor?: () => Promise<string>;
}

/**
 * Built-in stages: how a stage can be implemented by Factory instead of a shell command.
 *
 * - A resolved stage with `builtin: "<name>"` (the standard `contract` and `security` stages,
 *   or a contract's `{ name: x, builtin: security }`) is not run by a shell: `runStage` looks
 *   the name up in `ctx.builtins` and calls the handler it returns.
 * - `ctx.builtins` is filled by whoever starts the runner. The bundled runner
 *   (`stage/runner-bin.ts`) registers a loader that `require`s `stage-builtins.cjs` beside it
 *   only when a built-in stage runs, so a plain shell stage never loads the heavy code (zod,
 *   YAML, git diff parsing). That bundle is built by the package that ships the runner, which
 *   may compose handlers from every package (core's, and the LLM package's `review`).
 * - To add one: name it in `domain/builtin-stages.ts` (so contracts can name it), write a
 *   `BuiltinStageHandler`, and add it to the runner's map of built-in handlers; to make it part
 *   of the standard pipeline, add it to `STANDARD_STAGES` in `pipeline/standard.ts`.
 *
 * The runner treats a handler's outcome like a command's: the same `results/stage-<name>.json`
 * (with `findings`, `warnings` and `metrics`) and `.log`, the same terminal lines, the same
 * `required_success` rule and timeout. A handler that throws fails the stage with its message.
 */
export interface BuiltinStageRun {
  invocation: StageInvocation;
  stage: RunnableStage;
  /** The Nx workspace root: `.factory/` lives here. */
  root: string;
  /** Where the task's code is (its workspace, or `root`). */
  codeRoot: string;
  /** The stage's working directory (inside `codeRoot`). */
  cwd: string;
  /** Writes to the stage's log and the terminal (masked by the runner's redaction). */
  log: (text: string) => void;
  /** Aborted on timeout or cancellation. */
  signal: AbortSignal;
  prepared?: PreparedTask;
}

export interface BuiltinStageOutcome {
  ok: boolean;
  /** Nothing to judge (e.g. a project without a coverage tool): recorded as skipped, not failed. */
  skipped?: boolean;
  /** 1-2 lines: the first problem on failure, what was checked on success. */
  summary: string;
  metrics?: StageResult['metrics'];
  findings?: StageFinding[];
  warnings?: string[];
}

export type BuiltinStageHandler = (run: BuiltinStageRun) => Promise<BuiltinStageOutcome>;

/** Looks up a built-in stage by name; may load its code on first use. */
export type BuiltinStageRegistry = (name: string) => Promise<BuiltinStageHandler | undefined>;

/** A registry over a fixed map of handlers. */
export function builtinRegistry(handlers: Record<string, BuiltinStageHandler>): BuiltinStageRegistry {
  return async (name) => (Object.hasOwn(handlers, name) ? handlers[name] : undefined);
}

/** What running a stage (command or built-in) produced, before it becomes a StageResult. */
export interface StageOutcome {
  failed: boolean;
  /** Nothing was judged: the project lacks the stage's tool (said in `summary`). */
  skipped?: boolean;
  exitCode: number | null;
  signal?: string;
  timedOut: boolean;
  durationMs: number;
  summary: string;
  metrics: StageResult['metrics'];
  findings?: StageFinding[];
  warnings?: string[];
  /** Processes ended because the command timed out, was cancelled or left them running. */
  killed?: KilledProcess[];
}

export interface BuiltinRunContext {
  root: string;
  codeRoot: string;
  cwd: string;
  builtins?: BuiltinStageRegistry;
  log: (text: string) => void;
  signal?: AbortSignal;
  prepared?: PreparedTask;
}

/** Runs a built-in stage with the stage's timeout; never throws for the handler's failures. */
export async function runBuiltinStage(invocation: StageInvocation, stage: RunnableStage, ctx: BuiltinRunContext): Promise<StageOutcome> {
  const name = stage.builtin as string;
  const started = Date.now();
  const base = { exitCode: 1, timedOut: false, metrics: {}, failed: true } as const;
  let handler: BuiltinStageHandler | undefined;
  try {
    handler = await ctx.builtins?.(name);
  } catch (e) {
    const summary = `could not load the built-in stages: ${(e as Error).message.split('\n')[0]}; reinstall the factory package`;
    ctx.log(`${summary}\n`);
    return { ...base, durationMs: Date.now() - started, summary };
  }
  if (!handler) {
    const summary = `no built-in stage "${name}" is available to this stage runner; reinstall the factory package, or give the stage a command`;
    ctx.log(`${summary}\n`);
    return { ...base, durationMs: Date.now() - started, summary };
  }
  const ac = new AbortController();
  const onAbort = () => ac.abort();
  ctx.signal?.addEventListener('abort', onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      resolve('timeout'); // before aborting, so that a handler ending on the abort does not win the race
      ac.abort();
    }, stage.timeout_seconds * 1000);
  });
  try {
    const run = handler({
      invocation,
      stage,
      root: ctx.root,
      codeRoot: ctx.codeRoot,
      cwd: ctx.cwd,
      log: ctx.log,
      signal: ac.signal,
      prepared: ctx.prepared,
    });
    const outcome = await Promise.race([run, timeout]);
    const durationMs = Date.now() - started;
    if (outcome === 'timeout') {
      return { ...base, exitCode: null, timedOut: true, durationMs, summary: `timed out after ${stage.timeout_seconds}s` };
    }
    return {
      failed: !outcome.ok,
      ...(outcome.skipped ? { skipped: true } : {}),
      exitCode: outcome.ok ? 0 : 1,
      timedOut: false,
      durationMs,
      summary: outcome.summary,
      metrics: outcome.metrics ?? {},
      ...(outcome.findings ? { findings: outcome.findings } : {}),
      ...(outcome.warnings?.length ? { warnings: outcome.warnings } : {}),
    };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    ctx.log(`${message}\n`);
    return { ...base, durationMs: Date.now() - started, summary: message };
  } finally {
    clearTimeout(timer);
    ctx.signal?.removeEventListener('abort', onAbort);
  }
}
