import { recordActivity } from '../audit/activity';
import type { TaskStatus } from '../domain/task';
import { createBeadsClient, formatBdCommand, type BeadsClient } from '../integrations/beads';
import { taskCodeRoot } from '../workspace/code-root';

/** Where Factory looks for a Beads export when bd is absent (read-only). */
export const BEADS_JSONL = '.beads/issues.jsonl';

/**
 * Keeps a task's Beads issue in step with its status, when `bd` is on PATH: `bd update
 * --status=…` / `bd close --reason=…` (see TASK_STATUS_TO_BEADS), and on `ready` the task's
 * workspace appended to the notes. Each command bd ran is recorded as `beads_synced`;
 * a failure is recorded too but never undoes or blocks the status change. Without bd nothing
 * runs and nothing is recorded (the JSONL export is read-only).
 */
export async function syncBeadsStatus(
  root: string,
  slug: string,
  beadsId: string,
  to: TaskStatus,
  options: { actor: string; reason?: string; client?: Pick<BeadsClient, 'syncStatus' | 'linkWorkspace'> },
): Promise<void> {
  const client = options.client ?? createBeadsClient({ cwd: root, jsonlPath: BEADS_JSONL });
  const record = (outcome: string, details: Record<string, unknown>) =>
    recordActivity(root, {
      task: slug,
      actor: options.actor,
      action: 'beads_synced',
      outcome,
      details: { beads_id: beadsId, status: to, ...details },
    });
  try {
    const r = await client.syncStatus(beadsId, to, options.reason);
    if (!r.synced) return;
    await record('success', { command: formatBdCommand(r.args) });
    const workspace = taskCodeRoot(root, slug);
    if (to === 'ready' && workspace !== root) {
      const link = await client.linkWorkspace(beadsId, workspace);
      if (link.synced) await record('success', { command: formatBdCommand(link.args) });
    }
  } catch (e) {
    try {
      record('failure', { error: (e as Error).message });
    } catch {
      // the activity log is best effort here: the sync itself failed already
    }
  }
}
