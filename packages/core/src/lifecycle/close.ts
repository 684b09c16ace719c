import { appendAuditEvent } from '../audit/append';
import { checkpointAfterDecision, type DecisionCheckpoint } from '../audit/decision-checkpoint';
import { FactoryError, formatProblem } from '../domain/errors';
import type { Env } from '../evidence/signing-key';
import { loadTask } from '../store/load';
import { setTaskStatus } from './status';

/**
 * Closes a task that serves everyone: deployed_to_production → done (the seed's "close → Done"),
 * recorded as `task_closed`; a Beads issue is closed with the reason when bd is present. Like an
 * approval or a rollout step, a decision: the audit chains' heads are signed after it (see
 * `checkpointAfterDecision`), so that removing the close from the trail is detected.
 */
export async function closeTask(
  root: string,
  slug: string,
  options: { actor: string; reason?: string; env?: Env },
): Promise<DecisionCheckpoint> {
  const t = loadTask(root, slug);
  if (!t.value) throw new FactoryError('TASK', t.errors.map(formatProblem).join('\n'));
  if (t.value.status !== 'deployed_to_production') {
    throw new FactoryError('CLOSE_STATUS', `${slug}: only a task deployed to production (100%) can be closed; it is ${t.value.status}`, {
      field: 'status',
    });
  }
  const reason = options.reason?.trim() || `Done: ${slug} serves 100% of traffic`;
  await appendAuditEvent(root, { task: slug, actor: options.actor, action: 'task_closed', outcome: 'done', details: { reason } });
  await setTaskStatus(root, slug, 'done', { actor: options.actor, reason });
  return checkpointAfterDecision(root, { env: { ...process.env, ...options.env } });
}
