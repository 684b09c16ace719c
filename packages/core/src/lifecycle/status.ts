import path from 'node:path';
import { appendAuditEvent } from '../audit/append';
import { FactoryError, formatProblem } from '../domain/errors';
import type { StatusFile, TaskStatus } from '../domain/task';
import { writeFileAtomicSync } from '../store/atomic';
import { withDirLock } from '../store/lock';
import { loadRecordedTask, loadTask } from '../store/load';
import { taskPaths } from '../store/paths';
import { toYaml } from '../store/yaml';
import type { BeadsClient } from '../integrations/beads';
import { syncBeadsStatus } from './beads-sync';
import { checkTransition } from './transitions';

export interface StatusChange {
  from: TaskStatus;
  to: TaskStatus;
}

/**
 * Moves a task to `to` when the lifecycle allows it: writes `status.yaml` atomically (with
 * started_at on first work and completed_at when done) and records `status_changed` in the
 * audit trail. An illegal transition throws a FactoryError naming both states. Moving to the
 * status the task already has is a no-op.
 */
export async function setTaskStatus(
  root: string,
  slug: string,
  to: TaskStatus,
  options: { actor: string; reason?: string; now?: Date; beads?: Pick<BeadsClient, 'syncStatus' | 'linkWorkspace'> | false },
): Promise<StatusChange> {
  const p = taskPaths(slug);
  const file = path.join(root, p.status);
  return withDirLock(path.join(root, p.dir), 'status.yaml', async () => {
    const task = loadTask(root, slug);
    if (!task.value) throw new FactoryError('TASK', task.errors.map(formatProblem).join('\n'), { file: p.task });
    // The status as it stands (derived from results before a decision), and as status.yaml records it.
    const from = task.value.status;
    const recorded = loadRecordedTask(root, slug).value;
    if (from === to && recorded?.status === to && (recorded.reason ?? '') === (options.reason ?? '')) return { from, to };
    if (from !== to) {
      const legal = checkTransition(from, to);
      if (!legal.ok) throw new FactoryError('TRANSITION', `${slug}: ${legal.error}`, { file: p.status, field: 'status' });
    }
    const now = (options.now ?? new Date()).toISOString();
    const next: StatusFile = {
      status: to,
      ...(options.reason ? { reason: options.reason } : {}),
      updated_at: now,
      started_at: task.value.started_at ?? (to === 'in_progress' ? now : undefined),
      completed_at: to === 'done' ? now : task.value.completed_at,
    };
    writeFileAtomicSync(file, toYaml(JSON.parse(JSON.stringify(next))));
    await appendAuditEvent(root, {
      task: slug,
      actor: options.actor,
      action: 'status_changed',
      outcome: to,
      details: { from, to, ...(options.reason ? { reason: options.reason } : {}) },
    });
    if (task.value.beads_id && options.beads !== false) {
      await syncBeadsStatus(root, slug, task.value.beads_id, to, { actor: options.actor, reason: options.reason, client: options.beads });
    }
    return { from, to };
  });
}
