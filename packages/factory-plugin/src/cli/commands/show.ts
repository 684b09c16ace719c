import path from 'node:path';
import {
  baseCommitOf,
  readTextIfExists,
  startTaskChanges,
  taskPaths,
  validateSlug,
  withLinesChanged,
  type TaskDetails,
} from '@factory/core';
import { parseCommandArgs } from '../args';
import { UsageError, type CliContext } from '../context';
import { duration, table } from '../format';
import { TaskCache, taskCachePath } from '../task-cache';

export const help = `factory show <slug> [--json]

Shows a task: status, each stage's last result (status, duration, root cause, long lines cut:
--json has them whole), coverage,
lines changed since its base commit, approvals, rollout, and its history: the decisions of its audit trail (numbered) and what ran here (·, its activity log).
A result marked "not re-run: build failed (earlier: success)" is of earlier code: a stage it needs
failed after it, so Nx has not run it since (its figure is not about the code now).
--json prints a stable shape (version 1; fields are only ever added): see
docs/approval-and-rollout.md.`;

/** What `show` reads from a task's files, kept in the CLI's task cache (see task-cache.ts). */
export interface ShownTask {
  details: TaskDetails;
  rolloutProblems: string[];
}

/**
 * The base commit of task.yaml in the plain form Factory writes, read without YAML, so that git
 * starts before the cache is read. `withLinesChanged` uses that diff only when the task's details
 * name the same base commit.
 */
function plainBaseCommit(root: string, slug: string): string | undefined {
  try {
    return baseCommitOf(readTextIfExists(path.join(root, taskPaths(slug).task)) ?? '');
  } catch {
    return undefined;
  }
}

/** The widest summary line the table shows (`--json` has it whole). */
const SUMMARY_WIDTH = 160;
const cut = (line: string) => (line.length > SUMMARY_WIDTH ? `${line.slice(0, SUMMARY_WIDTH - 1)}…` : line);

function summaryLine(e: TaskDetails['history'][number]): string {
  const d = e.details ?? {};
  const bits: string[] = [];
  if (typeof d.stage === 'string') bits.push(String(d.stage));
  if (typeof d.from === 'string' || typeof d.from === 'number') bits.push(`${String(d.from)} → ${String(d.to)}`);
  if (typeof d.strategy === 'string' && e.action !== 'deployment_step') bits.push(String(d.strategy));
  if (typeof d.percent === 'number') bits.push(`${d.percent}%`);
  if (typeof d.reason === 'string') bits.push(String(d.reason));
  return bits.join(', ');
}

export async function run(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('show', args, { json: { type: 'boolean' } });
  const json = values.json === true;
  const [slug, ...extra] = positionals;
  if (!slug) throw new UsageError('factory show: expected a slug, e.g. factory show bd-52.1');
  if (extra.length) throw new UsageError(`factory show: expected one slug, got also ${extra.join(' ')}`);
  const v = validateSlug(slug);
  if (!v.ok) throw new UsageError(`factory show: ${v.error}`);
  const started = startTaskChanges(ctx.root, v.value, plainBaseCommit(ctx.root, v.value));
  const cache = new TaskCache<ShownTask>(
    taskCachePath(ctx.root, ctx.env, 'factory-task-show.json'),
    ctx.version ?? 'unknown',
    async () => (await import('../task-compute')).shownTask,
  );
  const recorded = await cache.get(ctx.root, v.value);
  // Written on a miss: a file of the repository when Nx's data directory is not git-ignored, which
  // the lines changed count as they always have: git is asked again, after the write.
  const wrote = cache.save(true);
  const r = (await withLinesChanged(ctx.root, v.value, recorded, wrote ? undefined : started)).details;
  if (json) {
    ctx.out(`${JSON.stringify(r, null, 2)}\n`);
    return r.problems.length && !r.title ? 1 : 0;
  }
  const lines = [`${r.slug}${r.title ? `  ${r.title}` : ''}`];
  if (r.status) lines.push(`status:    ${r.status}${r.reason ? ` (${r.reason})` : ''}`);
  if (r.language) lines.push(`language:  ${r.language}`);
  if (r.allowed_files) lines.push(`allowed:   ${r.allowed_files.join(', ') || '(nothing)'}`);
  if (r.overall_status) lines.push(`pipeline:  ${r.overall_status}`);
  if (r.coverage_percent !== undefined)
    lines.push(
      `coverage:  ${r.coverage_percent}%${r.coverage_not_rerun_since ? ` (of earlier code: not re-run since ${r.coverage_not_rerun_since} failed)` : ''}`,
    );
  if (r.lines_changed)
    lines.push(
      `changed:   +${r.lines_changed.added} -${r.lines_changed.removed} in ${r.lines_changed.files} file${r.lines_changed.files === 1 ? '' : 's'} (${r.lines_changed.counted} counted)`,
    );
  for (const a of r.approvals) lines.push(`approved:  by ${a.actor} at ${a.at}${a.strategy ? ` (${a.strategy})` : ''}`);
  if (r.rollout) lines.push(`rollout:   ${r.rollout.percent}% (${r.rollout.strategy} ${r.rollout.steps.join(' → ')}%, ${r.rollout.phase})`);
  if (r.stages.length) {
    lines.push(
      '',
      table(
        ['stage', 'status', 'time', 'root cause / summary'],
        // A cause's second line (the failing test's message, the finding under its file) gets a row
        // of its own; a long line (a list of findings already there) is cut, whole in --json.
        r.stages.flatMap((s) => {
          const [first = '', ...more] = (s.summary ?? '').split('\n').map(cut);
          return [
            [
              `${s.name}${s.required ? '' : ' (advisory)'}`,
              // Its own status is of earlier code: it comes second, so that a green word is not read first.
              s.not_rerun_since ? `not re-run: ${s.not_rerun_since} failed (earlier: ${s.status})` : s.status,
              duration(s.duration_ms),
              first,
            ],
            ...more.map((line) => ['', '', '', line]),
          ];
        }),
      ),
    );
  }
  if (r.history.length) {
    lines.push(
      '',
      'history:',
      table(
        ['#', 'when', 'who', 'what', 'outcome', ''],
        r.history.map((e) => [e.source === 'activity' ? '·' : String(e.seq), e.ts, e.actor, e.action, e.outcome, summaryLine(e)]),
      ),
    );
  }
  if (r.problems.length) lines.push('', 'problems:', ...r.problems.map((p) => `  ${p}`));
  ctx.out(`${lines.join('\n')}\n`);
  return 0;
}
