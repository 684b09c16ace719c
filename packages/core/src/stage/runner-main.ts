import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { FactoryError } from '../domain/errors';
import { acquireTaskLock, TaskBusyError, type HeldLock } from '../lock/run-lock';
import { taskFingerprint } from '../approval/task-fingerprint';
import { validateSlug } from '../domain/slug';
import type { BuiltinStageRegistry } from './builtin-stage';
import { workingTreeFingerprint } from './code-fingerprint';
import { completePipeline, recordStageRun, type EvidenceIo } from './evidence';
import { exitCodeFor, runStage } from './run-stage';
import type { StageRunSpec } from './spec';
import { startEarlyChanges } from './early-changes';
import type { InferredContract } from './inferred-contract';
import { pipelineSpecOf, resolveTaskContract, stageSpecOf, type ContractParser } from './stage-spec';

export interface RunnerIo {
  /** The runner's arguments: `stage <slug> <name>`, `pipeline <slug>` or `fingerprint <slug>`. */
  args: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  out: (text: string) => void;
  err: (text: string) => void;
  signal?: AbortSignal;
  /** Where the task's code is (its workspace, when it has one). */
  codeRoot: (root: string, slug: string) => string;
  /** Records stage runs in the audit trail and moves the task's status (absent: nothing recorded). */
  evidence?: EvidenceIo;
  /** The built-in stages (loaded on first use). */
  builtins?: BuiltinStageRegistry;
  /** Where inference caches parsed contracts (absent: every contract is parsed). */
  contractCache?: string;
  /** The contract parser (YAML, zod), loaded only when a contract is not in the cache. */
  parser?: () => Promise<ContractParser>;
}

/**
 * `fingerprint <slug>`: prints a hash of the task's code (see `workingTreeFingerprint`). Nx
 * runs it as a `runtime` input of the stages whose answer depends on every changed file. It
 * never fails: when git cannot answer it prints a value that matches no cache entry.
 */
async function printFingerprint(io: RunnerIo, slug: string | undefined): Promise<number> {
  const v = validateSlug(slug);
  if (!v.ok) {
    io.err(`factory: fingerprint: ${v.error}\n`);
    return 2;
  }
  try {
    io.out(`${await workingTreeFingerprint(io.codeRoot(io.cwd, v.value))}\n`);
  } catch (e) {
    io.out(`unavailable ${randomUUID()} ${(e as Error).message.split('\n')[0]}\n`);
  }
  return 0;
}

/**
 * The stage to run and the contract it comes from, as inference cached it (parsed when it is
 * not there); a number is the exit code when there is nothing to run.
 */
async function fromContract(
  io: RunnerIo,
  command: 'stage' | 'pipeline',
  slug: string | undefined,
  name: string | undefined,
): Promise<{ spec: StageRunSpec; contract: InferredContract } | number> {
  const v = validateSlug(slug);
  if (!v.ok || (command === 'stage' && !name)) {
    io.err(
      `factory: ${v.ok ? `the stage runner expects \`stage ${v.value} <name>\`` : v.error}. Stages run through Nx: nx run <slug>:stage-<name>\n`,
    );
    return 2;
  }
  const parser = io.parser ?? (() => Promise.reject(new Error('the contract parser is not available here')));
  const contract = await resolveTaskContract(io.cwd, v.value, { cacheFile: io.contractCache, parser });
  if ('error' in contract) {
    io.err(`factory › ${v.value}: the task's contract is invalid, so nothing was run:\n${contract.error}\n`);
    return 1;
  }
  const spec = command === 'pipeline' ? pipelineSpecOf(contract, v.value) : stageSpecOf(contract, v.value, name as string);
  if (!spec) {
    io.err(
      `factory › ${v.value}: the contract has no stage "${name}" (its stages: ${contract.pipeline.map((s) => s.name).join(', ')}); run it through Nx so that the targets are inferred again\n`,
    );
    return 1;
  }
  return { spec, contract };
}

/**
 * The stage runner: what an inferred `stage-<name>` target runs
 * (`sh …/bin/stage-runner.sh stage <slug> <name>`, which starts `stage-runner.cjs`; `pipeline <slug>`
 * for the pipeline target). Reads the stage from the task's contract (inference's cache of it),
 * runs it, returns the exit code (0: passed or advisory failure; 1: failed or invalid contract;
 * 2: misuse). Imports nothing heavy (no zod, no YAML), so the bundled runner starts fast;
 * built-in stages load their code through `io.builtins`, the contract parser through
 * `io.parser` (only on a cache miss).
 */
export async function stageRunnerMain(io: RunnerIo): Promise<number> {
  const [command, slug, name] = io.args;
  if (command === 'fingerprint') return printFingerprint(io, slug);
  if (command !== 'stage' && command !== 'pipeline') {
    io.err(
      'factory: the stage runner expects `stage <slug> <name>` or `pipeline <slug>`. Stages run through Nx: nx run <slug>:stage-<name>\n',
    );
    return 2;
  }
  const task = await fromContract(io, command, slug, name);
  if (typeof task === 'number') return task;
  const { spec, contract } = task;
  if (spec.pipeline) return pipelineMain(io, spec.slug, spec.pipeline.required);
  if (!spec.stage) return 2; // stageSpecOf always names one
  // Stages of one Nx run share the task's run lock (Nx runs them in parallel); a TCR run or
  // another Nx run on the same task holds it alone.
  const nxRun = io.env.NX_INVOCATION_ROOT_PID;
  let lock: HeldLock;
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
    let codeRoot: string;
    try {
      codeRoot = io.codeRoot(io.cwd, spec.slug);
    } catch (e) {
      if (!(e instanceof FactoryError)) throw e;
      io.err(`factory › ${spec.slug} › ${spec.stage.name}: ${e.message}\n`);
      return 1;
    }
    // Who runs it is looked up while the stage runs.
    io.evidence?.actor().catch(() => undefined);
    const result = await runStage(spec, {
      root: io.cwd,
      codeRoot,
      out: io.out,
      signal: io.signal,
      codeFingerprint: () => taskFingerprint(io.cwd, codeRoot, spec.allowed_files ?? []),
      taskHash: io.env.NX_TASK_HASH,
      builtins: io.builtins,
      prepared: {
        contract,
        // The contract stage's diff starts now, while its code loads.
        changes: spec.stage.builtin === 'contract' ? startEarlyChanges(io.cwd, codeRoot, spec.slug) : undefined,
      },
    });
    if (io.evidence) {
      await recordStageRun(io.cwd, result, io.evidence).catch((e: unknown) =>
        io.err(
          `factory › ${spec.slug}: the stage result is saved, but the audit trail or status could not be updated: ${(e as Error).message}\n`,
        ),
      );
    }
    return exitCodeFor(result);
  } finally {
    await lock.release();
  }
}

/** The `pipeline` target: runs after every stage passed; records the green pipeline. */
async function pipelineMain(io: RunnerIo, slug: string, required: string[]): Promise<number> {
  if (!io.evidence) return 0;
  const notGreen = await completePipeline(io.cwd, slug, required, io.evidence);
  if (notGreen.length) {
    io.err(
      `factory › ${slug}: the pipeline is not green: ${notGreen.join(', ')} ${notGreen.length === 1 ? 'has' : 'have'} no passing result; run nx run ${slug}:pipeline\n`,
    );
    return 1;
  }
  io.out(`factory › ${slug}: pipeline green; the task is ready for review (approve with: nx run ${slug}:approve)\n`);
  return 0;
}
