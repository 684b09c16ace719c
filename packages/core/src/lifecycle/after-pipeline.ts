import { loadTask } from '../store/load';
import { syncBeadsStatus } from './beads-sync';

/**
 * What a green pipeline does besides the results it leaves: a task linked to a Beads issue tells
 * Beads it is ready for review (when bd is on PATH). Nothing Factory tracks changes: the task's
 * status follows from its results.
 */
export async function afterGreenPipeline(root: string, slug: string, actor: string): Promise<void> {
  const task = loadTask(root, slug).value;
  if (task?.beads_id) await syncBeadsStatus(root, slug, task.beads_id, 'ready_for_review', { actor });
}
