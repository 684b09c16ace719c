import os from 'node:os';
import { FactoryError } from '../domain/errors';
import { acquireTaskLock, TaskBusyError, type HeldLock } from '../lock/run-lock';
import { exitCodeFor, runStage } from './run-stage';
import type { StageRunSpec } from './spec';

export interface RunnerIo {
  /** The runner's arguments: the stage spec (JSON) first. */
  args: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  out: (text: string) => void;
  err: (text: string) => void;
  signal?: AbortSignal;
  /** Where the task's code is (its workspace, when it has one). */
  codeRoot: (root: string, slug: string) => string;
}

/**
 * The stage runner: what an inferred `stage-<name>` target runs
 * (`node …/stage-runner.cjs '<spec JSON>'`). Reads the resolved stage from its first
 * argument, runs it, returns the exit code (0: passed or advisory failure;
 * 1: failed or invalid contract; 2: misuse). Imports nothing heavy (no zod, no YAML), so the
 * bundled runner starts fast.
 */
export async function stageRunnerMain(io: RunnerIo): Promise<number> {
  const raw = io.args[0];
  if (!raw) {
    io.err('factory: the stage runner expects a stage spec. Stages run through Nx: nx run <slug>:stage-<name>\n');
    return 2;
  }
  let spec: StageRunSpec;
  try {
    spec = JSON.parse(raw) as StageRunSpec;
  } catch {
    io.err('factory: the stage spec is not valid JSON; run the target through Nx so that it is inferred again\n');
    return 2;
  }
  if (spec.v !== 1) {
    io.err(`factory: this stage spec (version ${String(spec.v)}) comes from another Factory version; run it through Nx again\n`);
    return 2;
  }
  if (spec.error) {
    io.err(`factory › ${spec.slug}: the task's contract is invalid, so nothing was run:\n${spec.error}\n`);
    return 1;
  }
  if (!spec.stage) {
    io.err(`factory › ${spec.slug}: the stage spec names no stage\n`);
    return 2;
  }
  // Stages of one Nx run share the task's run lock (Nx runs them in parallel); a TCR run or
  // another Nx run on the same task holds it alone.
  const nxRun = io.env.NX_INVOCATION_ROOT_PID;
  let lock: HeldLock;
  let codeRoot: string;
  try {
    lock = await acquireTaskLock(io.cwd, spec.slug, {
      kind: 'pipeline',
      owner: nxRun ? `nx:${nxRun}@${os.hostname()}` : undefined,
      command: `nx run ${spec.slug}:stage-${spec.stage.name}`,
      waitMs: Math.max(0, Number(io.env.FACTORY_LOCK_WAIT ?? 0) * 1000 || 0),
      onWait: (s) => io.err(`factory › ${spec.slug}: waiting for a ${s.kind} run (pid ${s.holders[0]?.pid}) to finish\n`),
    });
  } catch (e) {
    if (!(e instanceof TaskBusyError)) throw e;
    io.err(`factory › ${spec.slug} › ${spec.stage.name}: ${e.message}\n`);
    return 1;
  }
  try {
    try {
      codeRoot = io.codeRoot(io.cwd, spec.slug);
    } catch (e) {
      if (!(e instanceof FactoryError)) throw e;
      io.err(`factory › ${spec.slug} › ${spec.stage.name}: ${e.message}\n`);
      return 1;
    }
    const result = await runStage(spec, { root: io.cwd, codeRoot, out: io.out, signal: io.signal });
    return exitCodeFor(result);
  } finally {
    await lock.release();
  }
}
