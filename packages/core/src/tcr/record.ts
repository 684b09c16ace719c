import { recordActivity } from '../audit/activity';
import type { Task } from '../domain/task';
import type { TcrOutcome } from './outcome';

const ACTION: Partial<Record<TcrOutcome['result'], string>> = { committed: 'tcr_committed', reverted: 'tcr_reverted' };
const MAX_FILES = 200;

/**
 * Records a cycle in the task's activity log (result, duration, stages, files, the commit or the
 * saved attempt's ref). The task's status follows from its stage results; TCR writes no tracked file.
 */
export async function recordCycle(root: string, actor: string, _task: Task, o: TcrOutcome): Promise<void> {
  if (o.result === 'busy' || o.result === 'config_error') return;
  recordActivity(root, {
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
}
