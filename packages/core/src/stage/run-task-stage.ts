import { readdirSync } from 'node:fs';
import path from 'node:path';
import { codeTreeId } from '../code-hash/tree';
import { attestStage } from '../evidence/attest';
import type { SigningKey } from '../evidence/keys';
import { loadSigningKey, type Env } from '../evidence/signing-key';
import { environmentRedactor } from '../secrets/redact';
import { isFactoryError } from '../domain/errors';
import { acquireTaskLock, TaskBusyError, type HeldLock } from '../lock/run-lock';
import { describeKilled } from '../process/leftovers';
import type { BuiltinStageRegistry } from './builtin-stage';
import { startEarlyChanges } from './early-changes';
import type { ContractWithEnv, StageInvocation } from './invocation';
import { recordStageRun, type EvidenceIo } from './record';
import { exitCodeFor, runStage } from './run-stage';

export interface TaskStageRun {
  /** The repository root: `.factory/` lives here. */
  root: string;
  invocation: StageInvocation;
  /** The task's validated contract (given to built-in stages, so they need not read it again). */
  contract: ContractWithEnv;
  /**
   * Who runs it, for the task's run lock: stages with the same owner (one run of a task
   * runner, whose stages run in parallel) share the lock; a TCR run or another run holds it alone.
   */
  lockOwner?: string;
  /** Seconds to wait for the task's lock held by another run (default: do not wait). */
  lockWaitSeconds?: number;
  /** Where the task's code is (its workspace, when it has work there). */
  codeRoot: (root: string, slug: string) => string;
  /**
   * The judged code as found before the task's lock was taken (the stage runner starts on it
   * as it starts), used in place of `codeRoot` and core's `codeTreeId` when no other run took or
   * left the lock since (see `HeldLock.undisturbed`).
   */
  early?: EarlyJudgedCode;
  out: (text: string) => void;
  err: (text: string) => void;
  signal?: AbortSignal;
  builtins?: BuiltinStageRegistry;
  /** Variables whose values are secret whatever their name (the configured LLM key's): masked like `*_KEY`, `*_TOKEN`. */
  secretNames?: readonly string[];
  /** Records the run (audit, status); absent: only the result files are written. */
  evidence?: EvidenceIo;
  /** Where the signing key is looked up (FACTORY_SIGNING_KEY, the key file's XDG_CONFIG_HOME); default process.env. */
  env?: Env;
}

/** The code a stage judges: where it is, and its tree id as the stage starts (undefined when git cannot tell). */
export interface JudgedCode {
  root: string;
  tree: Promise<string | undefined>;
}

export interface EarlyJudgedCode {
  /** The task's lock record when the judged code was looked at (`lockRecordText`). */
  lockRecord: string | null;
  /** Undefined when it could not be found. */
  judged: Promise<JudgedCode | undefined>;
}

/**
 * Runs one stage of a task as a pipeline does: under the task's run lock, in the task's code,
 * with the judged code's tree id recorded; returns the exit code (0: passed or advisory failure).
 */
export async function runTaskStage(run: TaskStageRun): Promise<number> {
  const { invocation: inv, root } = run;
  const name = inv.stage.name;
  // A signing key that is there but broken is found before the stage runs: otherwise the stage
  // passes unsigned, Nx caches that result without its attestation (the key is no cache input),
  // and approval refuses it long after. No key at all: the attestation is written unsigned.
  let key: SigningKey | null;
  try {
    key = (await loadSigningKey({ env: run.env ?? process.env, root }))?.key ?? null;
  } catch (e) {
    run.err(
      `factory › ${inv.slug} › ${name}: ${(e as Error).message}; the stage was not run, since its result could not be signed (approval needs the signature): fix the key or unset it\n`,
    );
    return 1;
  }
  let lock: HeldLock;
  try {
    lock = await acquireTaskLock(root, inv.slug, {
      kind: 'pipeline',
      owner: run.lockOwner,
      command: `nx run ${inv.slug}:stage-${name}`,
      waitMs: Math.max(0, (run.lockWaitSeconds ?? 0) * 1000 || 0),
      unchangedSince: run.early?.lockRecord,
      onWait: (s) => run.err(`factory › ${inv.slug}: waiting for a ${s.kind} run (pid ${s.holders[0]?.pid}) to finish\n`),
    });
  } catch (e) {
    if (!(e instanceof TaskBusyError)) throw e;
    run.err(`factory › ${inv.slug} › ${name}: ${e.message}\n`);
    return 1;
  }
  try {
    let judged: JudgedCode | undefined;
    let codeRoot: string;
    try {
      judged = lock.undisturbed ? await run.early?.judged : undefined;
      codeRoot = judged?.root ?? run.codeRoot(root, inv.slug);
    } catch (e) {
      if (!isFactoryError(e)) throw e;
      run.err(`factory › ${inv.slug} › ${name}: ${e.message}\n`);
      return 1;
    }
    if (lock.ended.length) {
      run.err(`factory › ${inv.slug} › ${name}: ended ${describeKilled(lock.ended)}, left running by a run that was killed\n`);
    }
    // Who runs it is looked up while the stage runs.
    run.evidence?.actor().catch(() => undefined);
    const result = await runStage(inv, {
      root,
      codeRoot,
      out: run.out,
      signal: run.signal,
      tag: lock.tag,
      // Secrets of the environment never reach the terminal, the log, the result or Nx's cache.
      redact: environmentRedactor({ ...process.env, ...inv.env, ...inv.stage.env }, run.secretNames),
      codeTree: () => judged?.tree ?? codeTreeId(codeRoot),
      codeTreeNow: () => codeTreeId(codeRoot),
      builtins: run.builtins,
      prepared: {
        contract: run.contract,
        // The contract stage's diff starts now, while its code loads.
        changes: inv.stage.builtin === 'contract' ? startEarlyChanges(root, codeRoot, inv.slug) : undefined,
        actor: run.evidence?.actor,
      },
    });
    // The signed record of the run: an in-toto attestation beside the result (an Nx output with it).
    if (result.code_tree) {
      const signed = await attestStage(root, { slug: inv.slug, stage: name, codeTree: result.code_tree, key }).catch((e: unknown) => ({
        warning: `stage ${name}: its attestation could not be written: ${(e as Error).message.split('\n')[0]}`,
      }));
      if (signed.warning && (!('signed' in signed) || keysListed(root))) run.err(`factory › ${inv.slug} › ${signed.warning}\n`);
    }
    if (run.evidence) {
      await recordStageRun(root, result, run.evidence).catch((e: unknown) =>
        run.err(
          `factory › ${inv.slug}: the stage result is saved, but the audit trail or status could not be updated: ${(e as Error).message}\n`,
        ),
      );
    }
    return exitCodeFor(result);
  } finally {
    await lock.release();
  }
}

/** Whether the repository lists evidence keys (then an unsigned attestation is worth a warning: approval refuses it). */
function keysListed(root: string): boolean {
  try {
    return readdirSync(path.join(root, '.factory', 'keys')).some((f) => f.endsWith('.pub'));
  } catch {
    return false;
  }
}
