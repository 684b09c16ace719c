import os from 'node:os';
import {
  completePipeline,
  judgedCodeKey,
  requiredStages,
  runTaskStage,
  stageInvocation,
  taskPaths,
  validateSlug,
  type BuiltinStageRegistry,
  type EvidenceIo,
  type TaskStageRun,
} from '@factory/core';
import { planned, type PlannedContract } from './inferred-contract';
import { resolveTaskContract, type ContractParser } from './task-contract';

export interface RunnerIo {
  /**
   * `stage <slug> <name> [<plan>]`, `pipeline <slug>`, `code-hash <workspace|tree> <slug>` or
   * `refused` (the reason in FACTORY_REFUSAL). `<plan>`: the digest of what detection chose when
   * Nx inferred the target, there for Nx's cache key only (see planDigest); the stage is planned again here.
   */
  args: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  out: (text: string) => void;
  err: (text: string) => void;
  signal?: AbortSignal;
  /** Where the task's code is (its workspace, when it has work there). */
  codeRoot: (root: string, slug: string) => string;
  /** The judged code as found while the runner started (see core's runTaskStage); absent: `codeRoot`. */
  early?: TaskStageRun['early'];
  /** Records stage runs and moves the task's status (absent: nothing recorded). */
  evidence?: EvidenceIo;
  /** The built-in stages (loaded on first use). */
  builtins?: BuiltinStageRegistry;
  /** Where inference caches parsed contracts (absent: every contract is parsed). */
  contractCache?: string;
  /** The contract parser (YAML, zod), loaded only when a contract is not in the cache. */
  parser?: () => Promise<ContractParser>;
}

const USAGE =
  'factory: the stage runner expects `stage <slug> <name> [<plan>]`, `pipeline <slug>` or `code-hash <workspace|tree> <slug>`. Stages run through Nx: nx run <slug>:stage-<name>\n';

/** A plan digest as inference writes it (16 hex digits), or absent. */
const PLAN = /^[0-9a-f]{16}$/;

/**
 * `code-hash <mode> <slug>`: what a stage's `runtime` cache input prints (see core's
 * code-hash/cache-input.ts). Nx runs it from the workspace root. It never fails: when it cannot
 * tell, it prints a value that matches no cache entry, so a stale hit is impossible.
 */
async function printCodeHash(io: RunnerIo, mode: string | undefined, slug: string | undefined): Promise<number> {
  const v = validateSlug(slug);
  if (!v.ok || (mode !== 'workspace' && mode !== 'tree')) {
    io.err(v.ok ? USAGE : `factory: code-hash: ${v.error}\n`);
    return 2;
  }
  try {
    io.out(`${await judgedCodeKey(io.cwd, v.value, mode)}\n`);
  } catch (e) {
    io.out(`unavailable ${process.pid}-${Date.now()} ${(e as Error).message.split('\n')[0]}\n`);
  }
  return 0;
}

async function contractOf(io: RunnerIo, slug: string): Promise<PlannedContract | number> {
  const parser = io.parser ?? (() => Promise.reject(new Error('the contract parser is not available here')));
  const parsed = await resolveTaskContract(io.cwd, slug, { cacheFile: io.contractCache, parser });
  const contract = 'error' in parsed ? parsed : planned(io.cwd, parsed, taskPaths(slug).contract);
  if ('error' in contract) {
    io.err(`factory › ${slug}: the task's contract is invalid, so nothing was run:\n${contract.error}\n`);
    return 1;
  }
  return contract;
}

/**
 * FACTORY_LOCK_WAIT: how many seconds a stage waits for the task's run lock (default 0: none);
 * a value that is not a number of seconds is a message naming the variable.
 */
export function lockWaitSeconds(raw: string | undefined): number | string {
  if (raw === undefined || raw.trim() === '') return 0;
  const n = Number(raw);
  if (/^\s*\d+(\.\d+)?\s*$/.test(raw) && Number.isFinite(n) && n <= 86_400) return n;
  return `FACTORY_LOCK_WAIT: expected the seconds a stage waits for the task's run lock (a number from 0 to 86400), got ${JSON.stringify(raw)}; unset it or set it to a number such as 30`;
}

/**
 * The stage runner: what an inferred `stage-<name>` target runs (`pipeline <slug>` for the
 * pipeline target). Reads the task's contract once (from inference's cache of it, parsed when it
 * is not there) and hands the stage to core's `runTaskStage`. Exit codes: 0 passed or advisory
 * failure; 1 failed or invalid contract; 2 misuse.
 */
export async function runnerMain(io: RunnerIo): Promise<number> {
  const [command, a, b, plan] = io.args;
  if (command === 'code-hash') return printCodeHash(io, a, b);
  if (command === 'refused') {
    // A task folder that cannot be a task as it is: inference put the reason in the target's environment.
    io.err(`factory › ${io.env.FACTORY_REFUSAL ?? 'this task cannot run as it is'}\n`);
    return 1;
  }
  if (command !== 'stage' && command !== 'pipeline') {
    io.err(USAGE);
    return 2;
  }
  const v = validateSlug(a);
  if (!v.ok || (command === 'stage' && (!b || (plan !== undefined && !PLAN.test(plan)) || io.args.length > 4))) {
    io.err(v.ok ? USAGE : `factory: ${v.error}. Stages run through Nx: nx run <slug>:stage-<name>\n`);
    return 2;
  }
  const slug = v.value;
  const lockWait = lockWaitSeconds(io.env.FACTORY_LOCK_WAIT);
  if (typeof lockWait === 'string') {
    io.err(`factory › ${slug}: ${lockWait}\n`);
    return 2;
  }
  const contract = await contractOf(io, slug);
  if (typeof contract === 'number') return contract;
  if (command === 'pipeline') return pipelineMain(io, slug, requiredStages(contract));
  const invocation = stageInvocation(contract, slug, b as string);
  if (!invocation) {
    io.err(
      `factory › ${slug}: the contract has no stage "${b}" (its stages: ${contract.pipeline.map((s) => s.name).join(', ')}); run it through Nx so that the targets are inferred again\n`,
    );
    return 1;
  }
  // Stages of one Nx run share the task's run lock (Nx runs them in parallel).
  const nxRun = io.env.NX_INVOCATION_ROOT_PID;
  return runTaskStage({
    root: io.cwd,
    invocation,
    contract,
    lockOwner: nxRun ? `nx:${nxRun}@${os.hostname()}` : undefined,
    lockWaitSeconds: lockWait,
    codeRoot: io.codeRoot,
    early: io.early,
    out: io.out,
    err: io.err,
    signal: io.signal,
    builtins: io.builtins,
    evidence: io.evidence,
    secretNames: ['FACTORY_SIGNING_KEY', ...(contract.llm_key_env ? [contract.llm_key_env] : [])],
    env: io.env,
  });
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
