/**
 * Test-Code-Revert for one task, in its workspace. The entry point for every caller (the
 * `factory:tcr` executor, `factory tcr run`, watch mode, and LLM modes that apply an edit and
 * then let the tests decide) is:
 *
 *   runTcrCycle({ root, slug, actor?, stages?, variant?, message?, out?, signal?, waitMs? })
 *     → Promise<TcrOutcome>   (never throws for a failed cycle; see outcome.ts)
 *
 * One cycle: take the task's run lock; finish a revert a killed run left half done; run the
 * build stages (what the test stages need) and the test stages in the workspace; then
 *   - all passed: commit every change as `<slug>: …` with a `Factory-Task: <slug>` trailer;
 *   - a test stage failed: save the whole working copy as `refs/factory/<slug>/reverted/<n>`
 *     (jj: a bookmarked commit), then revert (relaxed: all but test files; strict: all);
 *   - a build stage failed: change nothing (a compile error is feedback, not a failed test).
 * The save happens before the revert and is a commit kept by a ref, so no attempt is lost even
 * when the process is killed at any point. Each cycle is recorded in the audit trail.
 */
import path from 'node:path';
import { runStage } from '../stage/run-stage';
import type { Stage } from '../domain/stage';
import { isFactoryError } from '../domain/errors';
import { acquireTaskLock, TaskBusyError, type HeldLock } from '../lock/run-lock';
import { describeKilled } from '../process/leftovers';
import type { ProcessTag } from '../process/run';
import type { CommandRunner } from '../workspace/command-runner';
import type { WorkspaceBackend } from '../workspace/backend';
import { codeTreeId } from '../code-hash/tree';
import { runGit } from '../repo/git';
import { resolveActor } from '../workspace/actor';
import { attemptMessage, commitMessage, describeFiles } from './message';
import { clearPendingRevert, readPendingRevert, writePendingRevert } from './journal';
import { TCR_EXIT_CODES, type TcrOutcome, type TcrResult, type TcrStageRun } from './outcome';
import { planTcr, type TcrPlan } from './plan';
import { recordCycle } from './record';

export interface TcrRequest {
  /** The Nx workspace (repository) root. */
  root: string;
  slug: string;
  /** Who runs it, for the audit trail (default: git's user.email). */
  actor?: string;
  /** Test stages (default: config `tcr.stages`, else unit-test). */
  stages?: string[];
  variant?: 'relaxed' | 'strict';
  /** The commit's summary after `<slug>: ` (default: what changed). */
  message?: string;
  testPatterns?: string[];
  /** Progress lines and the stages' output. */
  out?: (text: string) => void;
  signal?: AbortSignal;
  /** How long to wait when the task is busy (default 0: report busy at once). */
  waitMs?: number;
  /** jj: the command runner (tests); an explicit backend replaces the task's. */
  runner?: CommandRunner;
  backend?: WorkspaceBackend;
}

const short = (id?: string) => (id ?? '').slice(0, 12);

function finish(o: Omit<TcrOutcome, 'exitCode' | 'durationMs'>, started: number): TcrOutcome {
  return { ...o, exitCode: TCR_EXIT_CODES[o.result], durationMs: Date.now() - started };
}

async function runStages(
  req: TcrRequest,
  plan: TcrPlan,
  stages: Stage[],
  out: (t: string) => void,
  tag: ProcessTag,
): Promise<TcrStageRun[]> {
  const runs: TcrStageRun[] = [];
  for (const stage of stages) {
    const r = await runStage(
      { slug: req.slug, stage, working_directory: plan.workingDirectory, required_test_coverage: plan.requiredCoverage },
      {
        root: req.root,
        codeRoot: plan.ws.dir,
        env: plan.env,
        out,
        signal: req.signal,
        tag,
        codeTree: () => codeTreeId(plan.ws.dir),
      },
    );
    runs.push({ name: stage.name, status: r.status, advisory: r.advisory, duration_ms: r.duration_ms, summary: r.summary });
    if (r.status === 'failure' && !r.advisory) break;
  }
  return runs;
}

/** Save, then revert per the variant. Used by a failed cycle and to finish one a killed run left. */
async function saveAndRevert(
  req: TcrRequest,
  plan: TcrPlan,
  failed: { stage: string; summary: string },
  head: string,
  pending = readPendingRevert(req.root, req.slug),
) {
  const { backend, ws, settings } = plan;
  writePendingRevert(req.root, req.slug, {
    v: 1,
    head,
    since: new Date().toISOString(),
    variant: settings.variant,
    ...(pending?.attempt ? { attempt: pending.attempt } : {}),
  });
  const saved = await backend.save(ws, 'reverted', (files) => attemptMessage(req.slug, failed, files, req.message), {
    unlessSameAs: pending?.attempt,
  });
  if (!saved) {
    clearPendingRevert(req.root, req.slug);
    return undefined;
  }
  const revert = settings.variant === 'strict' ? saved.files : saved.files.filter((f) => !plan.isTest(f.path));
  const kept = saved.files.filter((f) => !revert.includes(f)).map((f) => f.path);
  writePendingRevert(req.root, req.slug, {
    v: 1,
    head,
    since: new Date().toISOString(),
    variant: settings.variant,
    attempt: saved.saved,
    files: revert,
  });
  await backend.revert(ws, revert);
  clearPendingRevert(req.root, req.slug);
  return { ...saved, reverted: revert.map((f) => f.path), kept };
}

export async function runTcrCycle(req: TcrRequest): Promise<TcrOutcome> {
  const started = Date.now();
  const out = req.out ?? (() => undefined);
  const tell = (line: string) => out(`factory › ${req.slug} › tcr: ${line}\n`);
  let plan: TcrPlan;
  try {
    plan = planTcr(
      req.root,
      req.slug,
      { stages: req.stages, variant: req.variant, test_patterns: req.testPatterns },
      req.runner,
      req.backend,
    );
  } catch (e) {
    const message = (e as Error).message;
    tell(`configuration error: ${message}`);
    return finish({ slug: req.slug, result: 'config_error', message, stages: [], files: [] }, started);
  }
  const actor = await resolveActor(req.root, req.actor);
  let lock: HeldLock;
  try {
    lock = await acquireTaskLock(req.root, req.slug, {
      kind: 'tcr',
      command: `tcr ${req.slug} (${process.argv.slice(1).join(' ').slice(0, 200)})`,
      waitMs: req.waitMs,
      onWait: (s) => tell(`waiting: the task is busy with a ${s.kind} run (pid ${s.holders[0]?.pid})`),
    });
  } catch (e) {
    if (!(e instanceof TaskBusyError)) throw e;
    tell(e.message);
    return finish({ slug: req.slug, result: 'busy', message: e.message, stages: [], files: [] }, started);
  }

  const base = { slug: req.slug, variant: plan.settings.variant };
  let outcome: TcrOutcome | undefined;
  try {
    const { backend, ws } = plan;
    const recovered: string[] = [];
    if (lock.ended.length) recovered.push(`ended ${describeKilled(lock.ended)}, left running by a killed run`);
    if (lock.cleared && backend.recover) {
      const since = Date.parse(lock.cleared.holders.map((h) => h.since).sort()[0] ?? '') || 0;
      for (const f of await backend.recover(ws, since)) recovered.push(`removed the stale lock file ${f}`);
      recovered.unshift(`cleared the lock of a killed ${lock.cleared.kind} run (pid ${lock.cleared.holders.map((h) => h.pid).join(', ')})`);
    }
    // A workspace switched to another branch (or detached) would take the task's commits where
    // neither the pipeline nor approval looks for them.
    if (plan.branch) {
      const on = (await runGit(['symbolic-ref', '-q', '--short', 'HEAD'], { cwd: ws.dir, allowExitCodes: [1] })).stdout.trim();
      if (on !== plan.branch) {
        const where = path.relative(req.root, ws.dir) || '.';
        const message = `the workspace ${where} is on ${on ? `branch ${on}` : 'a detached HEAD'}, not ${plan.branch}, where TCR commits the task's work: switch back (git -C ${where} switch ${plan.branch}) and run again`;
        outcome = finish({ ...base, result: 'vcs_error', message, stages: [], files: [] }, started);
        return outcome;
      }
    }
    const head = await backend.head(ws);
    const pending = readPendingRevert(req.root, req.slug);
    if (pending && pending.head === head) {
      // A run was killed while reverting: finish that cycle (its attempt is saved), and stop there.
      tell('a previous run was killed while reverting; finishing its revert');
      const done = await saveAndRevert(
        req,
        plan,
        { stage: 'an interrupted run', summary: 'the revert was interrupted; finished by the next run' },
        head,
        pending,
      );
      recovered.push(`finished the revert of ${done?.saved.ref ?? pending.attempt?.ref ?? 'an attempt'} that a killed run left half done`);
      outcome = finish(
        {
          ...base,
          result: 'reverted',
          message: recovered.join('; '),
          stages: [],
          files: done?.files ?? [],
          attempt: done?.saved ?? pending.attempt,
          reverted: done?.reverted,
          kept: done?.kept,
          recovered,
        },
        started,
      );
      return outcome;
    }
    if (pending) clearPendingRevert(req.root, req.slug);
    for (const r of recovered) tell(r);

    const buildRuns = await runStages(req, plan, plan.build, out, lock.tag);
    const buildFailed = buildRuns.find((r) => r.status === 'failure' && !r.advisory);
    if (buildFailed) {
      const files = await backend.changes(ws);
      const message = `build failed (${buildFailed.name}): ${buildFailed.summary.split('\n')[0]}; nothing was committed or reverted`;
      outcome = finish({ ...base, result: 'build_failed', message, stages: buildRuns, files, recovered }, started);
      return outcome;
    }
    const testRuns = await runStages(req, plan, plan.tests, out, lock.tag);
    const stages = [...buildRuns, ...testRuns];
    const testFailed = testRuns.find((r) => r.status === 'failure' && !r.advisory);
    if (testFailed) {
      const done = await saveAndRevert(req, plan, { stage: testFailed.name, summary: testFailed.summary }, head);
      const message = done
        ? `${testFailed.name} failed; attempt saved as ${done.saved.ref} (${describeFiles(done.files)}), then reverted ${done.reverted.length} file(s)${done.kept.length ? `, kept ${done.kept.length} test file(s)` : ''}`
        : `${testFailed.name} failed on the last commit itself; there was nothing to revert`;
      outcome = finish(
        {
          ...base,
          result: 'reverted',
          message,
          stages,
          files: done?.files ?? [],
          attempt: done?.saved,
          reverted: done?.reverted ?? [],
          kept: done?.kept ?? [],
          recovered,
        },
        started,
      );
      return outcome;
    }
    const passed = stages.filter((s) => s.status === 'success').map((s) => s.name);
    const made = await backend.commit(ws, (files) => commitMessage(req.slug, files, passed, req.message));
    const result: TcrResult = made ? 'committed' : 'unchanged';
    const message = made
      ? `committed ${made.files.length} file(s) as ${short(made.commit)}: ${describeFiles(made.files)}`
      : 'tests passed; nothing to commit';
    outcome = finish({ ...base, result, message, stages, files: made?.files ?? [], commit: made?.commit, recovered }, started);
    return outcome;
  } catch (e) {
    const message = isFactoryError(e) ? e.message : `unexpected error: ${(e as Error).stack ?? String(e)}`;
    outcome = finish({ ...base, result: 'vcs_error', message, stages: [], files: [] }, started);
    return outcome;
  } finally {
    try {
      if (outcome) {
        tell(outcome.message);
        await recordCycle(req.root, actor, plan.task, outcome);
      }
    } catch (e) {
      // The cycle itself is done (committed, or saved and reverted); only its record failed.
      tell(`could not record this cycle in the audit trail: ${(e as Error).message}`);
    } finally {
      await lock.release();
    }
  }
}
