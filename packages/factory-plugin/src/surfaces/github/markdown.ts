import type { StageView, TaskView } from '@factory/core';
import { duration, percent, plural, when, words } from '../text';

/**
 * Text read from files, made inert in GitHub Markdown: `&`, `<` and `>` as entities (no HTML,
 * no autolinked tags), and Markdown's punctuation escaped, so a title cannot become a link, an
 * image, a table cell break, a heading or a list. Newlines become spaces (one line of a table).
 */
export function mdText(text: string): string {
  return (
    text
      .replace(/\r?\n/g, ' ')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/([\\`*_{}[\]()#+!|~^])/g, '\\$1')
      // A list marker only counts at the start of a line.
      .replace(/^(\d+)([.)])/, '$1\\$2')
      .replace(/^-/, '\\-')
  );
}

/** Text in a fenced block: a fence longer than any run of backticks inside it. */
export function mdBlock(text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}text\n${text.replace(/\r\n/g, '\n')}\n${fence}`;
}

const ICON: Record<StageView['verdict'], string> = { pass: '✅', fail: '❌', advisory: '⚠️', skipped: '⏭️', not_run: '⏳' };

/** The first line of a cause, for a table cell. */
const firstLine = (s: string | undefined) => (s ?? '').split('\n')[0].slice(0, 300);

/** A marker in the body that says which task a pull request belongs to. */
export const bodyMarker = (slug: string) => `<!-- factory:task ${slug} -->`;

export function pullRequestTitle(v: TaskView): string {
  return `${v.slug}: ${(v.title ?? 'Factory task').replace(/\s+/g, ' ').slice(0, 200)}`;
}

/** The pull request's body: the contract, the stages and the approval, from the task's view. */
export function pullRequestBody(v: TaskView): string {
  const lines: string[] = [bodyMarker(v.slug), `## ${mdText(v.slug)}: ${mdText(v.title ?? '')}`, ''];
  if (v.description) lines.push(mdText(v.description), '');
  const facts = [`**Status:** ${words(v.status ?? 'unknown')}`, `**Pipeline:** ${v.overall_status ?? 'not run'}`];
  if (v.coverage?.percent !== undefined)
    facts.push(`**Coverage:** ${percent(v.coverage.percent)} (floor ${percent(v.coverage.floor)}${v.coverage.met ? '' : ', below it'})`);
  lines.push(facts.join(' · '), '');

  const c = v.contract;
  lines.push('### Contract', '');
  if (c) {
    lines.push(`- Allowed files: ${c.allowed_files.map((g) => `\`${g.replace(/`/g, '')}\``).join(', ') || '(nothing)'}`);
    if (c.forbidden_files.length) lines.push(`- Forbidden files: ${c.forbidden_files.map((g) => `\`${g.replace(/`/g, '')}\``).join(', ')}`);
    if (c.files) {
      const refused = c.files.filter((f) => !f.allowed);
      lines.push(
        `- Files changed: ${c.files.length}${refused.length ? `, **${refused.length} not allowed:** ${refused.map((f) => mdText(f.path)).join(', ')}` : ', all allowed'}`,
      );
    }
    if (c.lines)
      lines.push(`- Lines: ${c.lines.counted} of ${c.lines.max} counted${c.lines.counted > c.lines.max ? ' **(over the budget)**' : ''}`);
    lines.push(
      `- New dependencies: ${c.dependencies_added.length ? c.dependencies_added.map(mdText).join(', ') : 'none'} (${c.new_dependencies_allowed ? 'allowed' : 'not allowed'})`,
    );
    for (const f of c.violations) lines.push(`- ❌ ${mdText(f.message)}`);
  } else lines.push('The contract could not be read.');
  lines.push('', '### Stages', '', '| stage | verdict | time | cause |', '|---|---|---|---|');
  for (const s of v.stages)
    lines.push(
      `| ${mdText(s.name)}${s.required ? '' : ' (advisory)'} | ${ICON[s.verdict]} ${words(s.verdict)}${s.cached ? ' (cache hit)' : ''} | ${duration(s.duration_ms)} | ${mdText(firstLine(s.summary))} |`,
    );
  lines.push('', '### Approval', '');
  if (v.approvals.length)
    for (const a of v.approvals) lines.push(`- Approved by ${mdText(a.actor)} at ${when(a.at)}${a.strategy ? ` (${a.strategy})` : ''}`);
  else lines.push('Not approved yet: a person approves with `factory approve` on green, fresh evidence.');
  if (v.rollout) lines.push(`- Rollout: ${percent(v.rollout.percent)} served (${v.rollout.strategy}, ${words(v.rollout.phase)})`);
  if (v.problems.length)
    lines.push('', `<sub>${plural(v.problems.length, 'file')} could not be read; see \`factory show ${v.slug}\`.</sub>`);
  lines.push('', `<sub>Written by Factory from \`.factory/${v.slug}/\` at ${when(v.generated_at)}; it is rewritten on each update.</sub>`);
  return `${lines.join('\n')}\n`;
}
