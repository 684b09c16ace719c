import { readFileSync } from 'node:fs';
import path from 'node:path';
import { appendAuditEvent } from '../audit/append';
import type { StageResult } from '../domain/results';
import type { TaskStatus } from '../domain/task';
import { readStatusLight } from '../lifecycle/status-light';
import { statusAfterGreenPipeline, statusAfterStage, type StatusStep } from '../lifecycle/stage-status';
import { stageResultFiles } from '../store/paths';

/**
 * What a stage run leaves on the record besides its result: a `stage_completed` audit event
 * and the task's lifecycle move. Zod-free: the bundled stage runner calls this, and loads the
 * status writer (zod, YAML) lazily, only when the status actually changes.
 */
export interface LifecycleModule {
  setTaskStatus(root: string, slug: string, to: TaskStatus, options: { actor: string; reason?: string }): Promise<unknown>;
}

export interface EvidenceIo {
  actor: () => Promise<string>;
  /** Loads the status writer (the bundled runner: a second bundle, `stage-lifecycle.cjs`). */
  lifecycle: () => Promise<LifecycleModule>;
}

async function applySteps(root: string, slug: string, steps: StatusStep[], io: EvidenceIo, actor: string): Promise<void> {
  if (!steps.length) return;
  const { setTaskStatus } = await io.lifecycle();
  for (const s of steps) await setTaskStatus(root, slug, s.to, { actor, ...(s.reason ? { reason: s.reason } : {}) });
}

async function currentStatus(root: string, slug: string, io: EvidenceIo): Promise<{ status: TaskStatus; reason?: string }> {
  const light = readStatusLight(root, slug);
  if (light) return light;
  const m = (await io.lifecycle()) as LifecycleModule & {
    loadTask?: (r: string, s: string) => { value?: { status: TaskStatus; reason?: string } };
  };
  const t = m.loadTask?.(root, slug).value;
  return t ? { status: t.status, reason: t.reason } : { status: 'created' };
}

/** Records a finished stage run in the audit trail and moves the task's status. */
export async function recordStageRun(root: string, result: StageResult, io: EvidenceIo): Promise<void> {
  const actor = await io.actor();
  await appendAuditEvent(root, {
    task: result.slug,
    actor,
    action: 'stage_completed',
    outcome: result.status,
    details: {
      stage: result.stage_name,
      advisory: result.advisory,
      exit_code: result.exit_code,
      timed_out: result.timed_out,
      duration_ms: result.duration_ms,
      summary: result.summary.split('\n')[0].slice(0, 300),
      ...(result.code_fingerprint ? { code_fingerprint: result.code_fingerprint } : {}),
    },
  });
  const steps = statusAfterStage(await currentStatus(root, result.slug, io), {
    stage: result.stage_name,
    status: result.status,
    advisory: result.advisory,
    summary: result.summary,
  });
  await applySteps(root, result.slug, steps, io, actor);
}

/**
 * The `pipeline` target's work, after Nx ran every stage: checks that each required stage has a
 * passing result and moves the task to ready_for_review. Returns the names of required stages
 * without a passing result (empty: green).
 */
export async function completePipeline(root: string, slug: string, required: readonly string[], io: EvidenceIo): Promise<string[]> {
  const notGreen = required.filter((name) => {
    try {
      const r = JSON.parse(readFileSync(path.join(root, stageResultFiles(slug, name).json), 'utf8')) as Partial<StageResult>;
      return r.status !== 'success';
    } catch {
      return true;
    }
  });
  if (notGreen.length) return notGreen;
  const steps = statusAfterGreenPipeline((await currentStatus(root, slug, io)).status);
  if (steps.length) await applySteps(root, slug, steps, io, await io.actor());
  return [];
}
