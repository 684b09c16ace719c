import { taskReport, validateSlug } from '@factory/core';
import { UsageError, type CliContext } from '../context';
import { duration, table } from '../format';

export const help = `factory show <slug> [--json]

Shows a task: status, each stage's last result (status, duration, root cause), coverage.
--json prints a stable shape (version 1; fields are only ever added).`;

export async function run(ctx: CliContext, args: string[]): Promise<number> {
  const json = args.includes('--json');
  const slug = args.find((a) => !a.startsWith('-'));
  if (!slug) throw new UsageError('factory show: expected a slug, e.g. factory show bd-52.1');
  const v = validateSlug(slug);
  if (!v.ok) throw new UsageError(`factory show: ${v.error}`);
  const r = taskReport(ctx.root, v.value);
  if (json) {
    ctx.out(`${JSON.stringify(r, null, 2)}\n`);
    return r.problems.length && !r.title ? 1 : 0;
  }
  const lines = [`${r.slug}${r.title ? `  ${r.title}` : ''}`];
  if (r.status) lines.push(`status:    ${r.status}${r.reason ? ` (${r.reason})` : ''}`);
  if (r.language) lines.push(`language:  ${r.language}`);
  if (r.allowed_files) lines.push(`allowed:   ${r.allowed_files.join(', ') || '(nothing)'}`);
  if (r.overall_status) lines.push(`pipeline:  ${r.overall_status}`);
  if (r.coverage_percent !== undefined) lines.push(`coverage:  ${r.coverage_percent}%`);
  if (r.stages.length) {
    lines.push(
      '',
      table(
        ['stage', 'status', 'time', 'root cause / summary'],
        r.stages.map((s) => [
          `${s.name}${s.required ? '' : ' (advisory)'}`,
          s.status,
          duration(s.duration_ms),
          (s.summary ?? '').split('\n')[0],
        ]),
      ),
    );
  }
  if (r.problems.length) lines.push('', 'problems:', ...r.problems.map((p) => `  ${p}`));
  ctx.out(`${lines.join('\n')}\n`);
  return 0;
}
