import { listTaskSlugs, type TaskListEntry } from '@factory/core';
import { parseCommandArgs } from '../args';
import { UsageError, type CliContext } from '../context';
import { table } from '../format';
import { TaskCache, taskCachePath } from '../task-cache';

export const help = `factory list [--json]

Lists every task with its status and pipeline state. --json prints
{ "version": 1, "tasks": [{ slug, title, status, language, overall_status, stages: { passed, failed, not_run },
rollout: { strategy, percent, phase } | null, problems }] }.`;

export async function run(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('list', args, { json: { type: 'boolean' } });
  if (positionals.length) throw new UsageError(`factory list: expected no arguments, got ${positionals.join(' ')}`);
  const cache = new TaskCache<TaskListEntry>(
    taskCachePath(ctx.root, ctx.env, 'factory-task-list.json'),
    ctx.version ?? 'unknown',
    async () => (await import('../task-compute')).listEntry,
  );
  const tasks: TaskListEntry[] = [];
  for (const slug of listTaskSlugs(ctx.root)) tasks.push(await cache.get(ctx.root, slug));
  cache.save(false);
  if (values.json) {
    ctx.out(`${JSON.stringify({ version: 1, tasks }, null, 2)}\n`);
    return 0;
  }
  if (!tasks.length) {
    ctx.out('No tasks yet. Create one with: nx g factory:task <slug>\n');
    return 0;
  }
  ctx.out(
    `${table(
      ['task', 'status', 'pipeline', 'stages', 'rollout', 'title'],
      tasks.map((t) => [
        t.slug,
        t.status ?? '?',
        t.problems.length && !t.overall_status ? 'invalid' : (t.overall_status ?? ''),
        `${t.stages.passed} passed, ${t.stages.failed} failed, ${t.stages.not_run} not run`,
        t.rollout ? `${t.rollout.percent}% ${t.rollout.strategy}` : '',
        t.title ?? '',
      ]),
    )}\n`,
  );
  return 0;
}
