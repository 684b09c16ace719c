import { appendAuditEvent } from '../audit/append';
import type { Task } from '../domain/task';
import { setTaskStatus } from '../lifecycle/status';
import type { TcrOutcome } from './outcome';

const ACTION: Partial<Record<TcrOutcome['result'], string>> = { committed: 'tcr_committed', reverted: 'tcr_reverted' };
const MAX_FILES = 200;

/**
 * Records a cycle in the task's audit trail (result, duration, stages, files, the commit or the
 * saved attempt's ref) and moves the task along: work started (created/ready → in_progress);
 * a commit after a green pipeline or an approval sends it back to in_progress.
 */
export async function recordCycle(root: string, actor: string, task: Task, o: TcrOutcome): Promise<void> {
  if (o.result === 'busy' || o.result === 'config_error') return;
  await appendAuditEvent(root, {
    task: o.slug,
    actor,
    action: ACTION[o.result] ?? 'tcr_cycle',
    outcome: o.result,
    details: {
      variant: o.variant,
      duration_ms: o.durationMs,
      stages: o.stages.map((s) => ({ name: s.name, status: s.status, duration_ms: s.duration_ms })),
      files: o.files.slice(0, MAX_FILES).map((f) => `${f.kind[0].toUpperCase()} ${f.path}`),
      ...(o.files.length > MAX_FILES ? { files_omitted: o.files.length - MAX_FILES } : {}),
      ...(o.commit ? { commit: o.commit } : {}),
      ...(o.attempt ? { attempt: o.attempt.ref, attempt_commit: o.attempt.commit } : {}),
      ...(o.reverted ? { reverted: o.reverted.length, kept: o.kept?.length ?? 0 } : {}),
      ...(o.recovered?.length ? { recovered: o.recovered } : {}),
      ...(o.result === 'vcs_error' || o.result === 'build_failed' ? { message: o.message.slice(0, 500) } : {}),
    },
  });
  const started = task.status === 'created' || task.status === 'ready';
  const backToWork = o.result === 'committed' && (task.status === 'ready_for_review' || task.status === 'review_approved');
  if (started || backToWork) {
    await setTaskStatus(root, o.slug, 'in_progress', { actor, reason: started ? 'TCR started' : 'TCR committed a change after review' });
  }
}
