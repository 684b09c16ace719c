import { codeTreeId } from '../code-hash/tree';
import { checkApprovalSummary } from '../evidence/approval-check';
import { taskCodeRoot } from '../workspace/code-root';
import path from 'node:path';
import { appendAuditEvent } from '../audit/append';
import { checkpointAfterDecision, type DecisionCheckpoint } from '../audit/decision-checkpoint';
import { FactoryError, formatProblem } from '../domain/errors';
import type { TaskStatus } from '../domain/task';
import { setTaskStatus } from '../lifecycle/status';
import { loadTask } from '../store/load';
import { withDirLock } from '../store/lock';
import { taskPaths } from '../store/paths';
import { strategySteps, type RolloutConfig, type RolloutStrategy } from './config';
import { flagKeyOf } from './flagd';
import { checkHealth } from './health';
import { recordRolloutSample, type RolloutSample } from './metrics';
import { loadRolloutState, readServedPercent, saveRolloutState, writeFlag, type HealthSample, type RolloutState } from './state';

/** What a rollout command did, for the executor and `--json`. */
export interface RolloutOutcome {
  slug: string;
  action: 'started' | 'advanced' | 'promoted' | 'held' | 'rolled_back' | 'aborted' | 'unchanged';
  /** False when the rollout was rolled back (the change is not serving). */
  ok: boolean;
  from: number;
  percent: number;
  status: TaskStatus;
  health?: HealthSample;
  message: string;
  warnings: string[];
  /** The audit checkpoint signed after the step (see checkpointAfterDecision). */
  checkpoint?: DecisionCheckpoint;
}

export interface RolloutContext {
  root: string;
  slug: string;
  actor: string;
  config: RolloutConfig;
  now?: () => Date;
  env?: Record<string, string>;
  fetch?: typeof fetch;
}

const ROLLING: readonly TaskStatus[] = ['deploying', 'deployed_to_staging', 'deployed_to_production'];

/** Runs `fn` holding the task's rollout lock: approve and rollout never interleave. */
export function withRolloutLock<T>(root: string, slug: string, fn: () => Promise<T>): Promise<T> {
  return withDirLock(path.join(root, taskPaths(slug).dir), 'rollout', fn);
}

function statusOf(root: string, slug: string): TaskStatus {
  const t = loadTask(root, slug);
  if (!t.value) throw new FactoryError('TASK', t.errors.map(formatProblem).join('\n'), { file: taskPaths(slug).task });
  return t.value.status;
}

const nowIso = (ctx: RolloutContext) => (ctx.now?.() ?? new Date()).toISOString();

async function sample(ctx: RolloutContext, event: RolloutSample['event'], percent: number, health?: HealthSample): Promise<string[]> {
  return recordRolloutSample(
    ctx.root,
    ctx.slug,
    {
      at: nowIso(ctx),
      event,
      percent,
      ...(health ? { healthy: health.healthy } : {}),
      ...(health?.error_rate !== undefined ? { error_rate: health.error_rate } : {}),
      ...(health?.latency_ms !== undefined ? { latency_ms: health.latency_ms } : {}),
    },
    ctx.config.metrics,
  );
}

/** Moves the status after a step to `percent`: staging below 100 %, production at 100 %. */
async function statusForPercent(ctx: RolloutContext, percent: number): Promise<TaskStatus> {
  const to: TaskStatus = percent >= 100 ? 'deployed_to_production' : 'deployed_to_staging';
  const from = statusOf(ctx.root, ctx.slug);
  if (from !== to) await setTaskStatus(ctx.root, ctx.slug, to, { actor: ctx.actor });
  if (to === 'deployed_to_production' && from !== to) {
    await appendAuditEvent(ctx.root, {
      task: ctx.slug,
      actor: ctx.actor,
      action: 'deployment_completed',
      outcome: 'success',
      details: { percent: 100 },
    });
  }
  return to;
}

function phaseAfter(state: Pick<RolloutState, 'strategy' | 'steps'>, percent: number): RolloutState['phase'] {
  if (percent >= 100) return 'complete';
  const more = state.steps.some((p) => p > percent);
  return state.strategy === 'canary' && !more ? 'holding' : 'active';
}

/**
 * The first step of an approved task's rollout (called by approval, under the rollout lock,
 * with the task review_approved). Order matters for crash safety: the state file first (phase
 * starting), then the status deploying, then the flag, then the state again; each write atomic. A crash in between leaves
 * the flag file as the truth, which the next `rollout` adopts.
 */
export async function startRollout(ctx: RolloutContext, strategy: RolloutStrategy): Promise<RolloutOutcome> {
  const steps = strategySteps(strategy, ctx.config);
  const first = steps[0];
  const at = nowIso(ctx);
  const state: RolloutState = {
    version: 1,
    flag_key: flagKeyOf(ctx.slug),
    strategy,
    steps,
    percent: 0,
    phase: 'starting',
    approved_by: ctx.actor,
    approved_at: at,
    updated_at: at,
    history: [],
  };
  saveRolloutState(ctx.root, ctx.slug, state);
  await setTaskStatus(ctx.root, ctx.slug, 'deploying', { actor: ctx.actor });
  writeFlag(ctx.root, ctx.slug, first, strategy);
  state.percent = first;
  state.phase = phaseAfter(state, first);
  state.history.push({ at, by: ctx.actor, action: 'approved', from: 0, to: first });
  saveRolloutState(ctx.root, ctx.slug, state);
  await appendAuditEvent(ctx.root, {
    task: ctx.slug,
    actor: ctx.actor,
    action: 'deployment_started',
    outcome: 'success',
    details: { strategy, steps, percent: first },
  });
  const warnings = await sample(ctx, first >= 100 ? 'completed' : 'started', first);
  const status = await statusForPercent(ctx, first);
  const next = steps.find((p) => p > first);
  const hint =
    first >= 100
      ? 'the change serves everyone'
      : next !== undefined
        ? `advance with: nx run ${ctx.slug}:rollout (next: ${next}%, after a health check)`
        : `canary: promote with: nx run ${ctx.slug}:rollout --to <percent> (after a health check)`;
  return {
    slug: ctx.slug,
    action: 'started',
    ok: true,
    from: 0,
    percent: first,
    status,
    message: `${ctx.slug}: serving ${first}% (${strategy}); ${hint}`,
    warnings,
  };
}

async function rollBack(
  ctx: RolloutContext,
  state: RolloutState | undefined,
  kind: 'rolled_back' | 'aborted',
  reason: string,
  health?: HealthSample,
): Promise<RolloutOutcome> {
  const from = state?.percent ?? readServedPercent(ctx.root, ctx.slug) ?? 0;
  const at = nowIso(ctx);
  writeFlag(ctx.root, ctx.slug, 0, state?.strategy ?? 'none');
  if (state) {
    state.percent = 0;
    state.phase = kind;
    state.updated_at = at;
    state.history.push({ at, by: ctx.actor, action: kind, from, to: 0, ...(health ? { health } : {}) });
    saveRolloutState(ctx.root, ctx.slug, state);
  }
  await appendAuditEvent(ctx.root, {
    task: ctx.slug,
    actor: ctx.actor,
    action: 'deployment_rolled_back',
    outcome: kind,
    details: { from, to: 0, reason, ...(health ? { health } : {}) },
  });
  const warnings = await sample(ctx, kind, 0, health);
  await setTaskStatus(ctx.root, ctx.slug, 'reverted', { actor: ctx.actor, reason });
  return {
    slug: ctx.slug,
    action: kind,
    ok: kind === 'aborted',
    from,
    percent: 0,
    status: 'reverted',
    ...(health ? { health } : {}),
    message: `${ctx.slug}: rolled back from ${from}% to 0% (${reason}); the task is reverted. Fix it, run nx run ${ctx.slug}:pipeline, then approve again.`,
    warnings,
  };
}

export interface AdvanceOptions {
  /** Go to this percentage instead of the next step (a manual promote). */
  to?: number;
  abort?: boolean;
}

/**
 * `nx run <slug>:rollout`: one step after a health check (`--to` a chosen percentage), or back
 * to 0 % with `--abort`. Unhealthy: back to 0 %, status reverted, on the record.
 */
export async function advanceRollout(ctx: RolloutContext, options: AdvanceOptions = {}): Promise<RolloutOutcome> {
  const outcome = await withRolloutLock(ctx.root, ctx.slug, async (): Promise<RolloutOutcome> => {
    const status = statusOf(ctx.root, ctx.slug);
    const loaded = loadRolloutState(ctx.root, ctx.slug);
    if (loaded.errors.length)
      throw new FactoryError('ROLLOUT_STATE', loaded.errors.map(formatProblem).join('\n'), { file: taskPaths(ctx.slug).rollout });
    const state = loaded.value;
    if (!ROLLING.includes(status)) {
      const why =
        status === 'reverted'
          ? 'it was rolled back; fix it, run its pipeline and approve it again'
          : `it is ${status}; approve it first (nx run ${ctx.slug}:approve)`;
      throw new FactoryError('ROLLOUT_STATUS', `${ctx.slug}: nothing to roll out: ${why}`);
    }
    if (options.abort) return rollBack(ctx, state, 'aborted', `aborted by ${ctx.actor}`);
    if (!state) {
      throw new FactoryError(
        'ROLLOUT_STATE',
        `${ctx.slug}: the approval was interrupted before its rollout started (no ${taskPaths(ctx.slug).rollout}); run nx run ${ctx.slug}:rollout --abort, then approve again`,
      );
    }
    // The approval's signed verification summary must still match the code and the contract:
    // a rollout never moves on evidence that no longer holds (going back, --abort, always may).
    const check = checkApprovalSummary(ctx.root, { slug: ctx.slug, codeTree: await codeTreeId(taskCodeRoot(ctx.root, ctx.slug)) });
    if (!check.ok) {
      throw new FactoryError(
        'ROLLOUT_EVIDENCE',
        `${ctx.slug}: the rollout does not move: ${check.message}; run nx run ${ctx.slug}:rollout --abort, then the pipeline, and approve again`,
      );
    }
    const warnings: string[] = [];
    const served = readServedPercent(ctx.root, ctx.slug);
    if (served !== undefined && served !== state.percent) {
      // A crash between the flag write and the state write: the flag file is what is served.
      const at = nowIso(ctx);
      state.history.push({ at, by: ctx.actor, action: 'recovered', from: state.percent, to: served });
      state.percent = served;
      state.phase = phaseAfter(state, served);
      state.updated_at = at;
      saveRolloutState(ctx.root, ctx.slug, state);
      await appendAuditEvent(ctx.root, {
        task: ctx.slug,
        actor: ctx.actor,
        action: 'deployment_step',
        outcome: 'recovered',
        details: { percent: served },
      });
      warnings.push(`the flag file served ${served}% while rollout.yaml said otherwise (an interrupted step); continuing from ${served}%`);
    }
    const from = state.percent;
    if (from >= 100) {
      await statusForPercent(ctx, 100);
      return {
        slug: ctx.slug,
        action: 'unchanged',
        ok: true,
        from,
        percent: 100,
        status: 'deployed_to_production',
        message: `${ctx.slug}: already serving 100%; close the task with: factory close ${ctx.slug}`,
        warnings,
      };
    }
    if (options.to !== undefined && (!(options.to > 0) || options.to > 100)) {
      throw new FactoryError(
        'ROLLOUT_TO',
        `--to: expected a percentage above 0 and at most 100, got ${options.to}; to roll back use --abort`,
        { field: 'to' },
      );
    }
    if (options.to !== undefined && options.to <= from) {
      throw new FactoryError(
        'ROLLOUT_TO',
        `--to: expected a percentage above the ${from}% served now, got ${options.to}; to roll back use --abort`,
        { field: 'to' },
      );
    }
    const target = options.to ?? state.steps.find((p) => p > from);
    const health = ctx.config.health;
    if (!health) {
      throw new FactoryError(
        'ROLLOUT_HEALTH',
        `${ctx.slug}: no health check is configured, so the rollout cannot go past ${from}%; set rollout.health in .factory/config.yaml (a "command" or a "url", with max_error_rate and max_latency_ms)`,
        { file: '.factory/config.yaml', field: 'rollout.health' },
      );
    }
    const h = await checkHealth(health, {
      root: ctx.root,
      slug: ctx.slug,
      flagKey: state.flag_key,
      percent: from,
      env: ctx.env,
      fetch: ctx.fetch,
    });
    if (!h.healthy) return rollBack(ctx, state, 'rolled_back', `health check failed at ${from}%: ${h.message}`, h);
    if (target === undefined) {
      warnings.push(...(await sample(ctx, 'held', from, h)));
      await appendAuditEvent(ctx.root, {
        task: ctx.slug,
        actor: ctx.actor,
        action: 'deployment_step',
        outcome: 'held',
        details: { percent: from, health: h },
      });
      return {
        slug: ctx.slug,
        action: 'held',
        ok: true,
        from,
        percent: from,
        status,
        health: h,
        message: `${ctx.slug}: canary healthy at ${from}% (${h.message}); promote with: nx run ${ctx.slug}:rollout --to <percent>`,
        warnings,
      };
    }
    const at = nowIso(ctx);
    writeFlag(ctx.root, ctx.slug, target, state.strategy);
    const action = options.to !== undefined ? 'promoted' : 'advanced';
    state.percent = target;
    state.phase = phaseAfter(state, target);
    state.updated_at = at;
    state.history.push({ at, by: ctx.actor, action, from, to: target, health: h });
    saveRolloutState(ctx.root, ctx.slug, state);
    await appendAuditEvent(ctx.root, {
      task: ctx.slug,
      actor: ctx.actor,
      action: 'deployment_step',
      outcome: action,
      details: { from, to: target, health: h },
    });
    warnings.push(...(await sample(ctx, target >= 100 ? 'completed' : 'step', target, h)));
    const newStatus = await statusForPercent(ctx, target);
    const next = state.steps.find((p) => p > target);
    const hint =
      target >= 100
        ? 'deployed to production'
        : next !== undefined
          ? `next: ${next}% (nx run ${ctx.slug}:rollout)`
          : `promote with --to <percent>`;
    return {
      slug: ctx.slug,
      action,
      ok: true,
      from,
      percent: target,
      status: newStatus,
      health: h,
      message: `${ctx.slug}: ${from}% → ${target}% (${h.message}); ${hint}`,
      warnings,
    };
  });
  // The step's events are written: sign every chain's head, so removing them is detected.
  const checkpoint = await checkpointAfterDecision(ctx.root, { env: { ...process.env, ...ctx.env } });
  return { ...outcome, checkpoint, warnings: [...outcome.warnings, ...('warning' in checkpoint ? [checkpoint.warning] : [])] };
}
