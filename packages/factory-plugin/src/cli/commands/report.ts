import { validateSlug, type RecordedTaskView } from '@factory/core';
import { writeReport } from '../../surfaces/report-file';
import { parseCommandArgs, str } from '../args';
import { UsageError, type CliContext } from '../context';
import { TaskCache, taskCachePath } from '../task-cache';

export const help = `factory report [<slug>] [--out <file>]

Writes one self-contained HTML page (inline CSS and JS, nothing loaded from the network) and
prints its path: a task's status and lifecycle, a timeline of its last pipeline run, each
stage's cause, metrics and log, coverage against the floor, the contract check, the rollout
chart with each health check, the audit history with its verification, and LLM usage.
Without a slug, every task of the workspace in one page.

Default file: .factory/<slug>/results/report.html (git-ignored, beside the stage logs it links
to), or .factory/report.html for the workspace. A file that cannot be read is listed on the
page under "Problems"; the rest still shows.`;

export async function run(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('report', args, { out: { type: 'string' } });
  if (positionals.length > 1) throw new UsageError(`factory report: expected at most one slug, got ${positionals.join(' ')}`);
  let slug: string | undefined;
  if (positionals[0] !== undefined) {
    const v = validateSlug(positionals[0]);
    if (!v.ok) throw new UsageError(`factory report: ${v.error}`);
    slug = v.value;
  }
  // What the task's files record (YAML, zod) comes from the CLI's task cache while they are
  // unchanged; the lines changed, the logs and the audit chain are read every time.
  const cache = new TaskCache<RecordedTaskView>(
    taskCachePath(ctx.root, ctx.env, 'factory-task-report.json'),
    ctx.version ?? 'unknown',
    async () => (await import('../task-compute')).reportedTask,
  );
  const file = await writeReport(ctx.root, { slug, out: str(values.out), record: (s) => cache.get(ctx.root, s) });
  // One task: the others' entries stay; every task: those of tasks gone go.
  cache.save(slug !== undefined);
  ctx.out(`${file}\n`);
  return 0;
}
