import type { TaskListEntry, TaskView, WorkspaceView } from '@factory/core';
import { html, type SafeHtml } from './html';
import { renderDocument } from './page/document';
import { REPORT_SCRIPT } from './page/report-script';
import { auditSection } from './sections/audit';
import { contractSection, coverageSection } from './sections/contract';
import { llmSection } from './sections/llm';
import { overallBadge, overviewSection, problemsSection, timeTag, verdictBadge } from './sections/overview';
import { rolloutSection } from './sections/rollout';
import { stagesSection, type LogHref } from './sections/stages';
import { timelineSection } from './sections/timeline';
import { percent, words } from './text';

export interface TaskSectionOptions {
  logHref: LogHref;
  /** Extra markup after the overview (the dashboard's actions). */
  actions?: SafeHtml;
}

const SECTIONS = ['timeline', 'stages', 'coverage', 'contract', 'rollout', 'audit', 'llm'] as const;

/** One task's whole view as an article: the same in the report file, the workspace report and the dashboard. */
export function taskArticle(v: TaskView, options: TaskSectionOptions): SafeHtml {
  return html`<article class="task" id="task-${v.slug}" data-slug="${v.slug}">
    ${overviewSection(v)} ${options.actions ?? ''}
    <nav class="toc">${SECTIONS.map((s) => html`<a href="#${v.slug}-${s}">${s === 'llm' ? 'LLM usage' : s}</a>`)}</nav>
    ${problemsSection(v)} ${timelineSection(v.slug, v.timeline)} ${stagesSection(v, options.logHref)} ${coverageSection(v)}
    ${contractSection(v)} ${rolloutSection(v)} ${auditSection(v)} ${llmSection(v)}
  </article>`;
}

/** The task list: status, pipeline, rollout; each links to `href(slug)`. */
export function taskListTable(tasks: readonly TaskListEntry[], href: (slug: string) => string): SafeHtml {
  if (!tasks.length) return html`<p class="muted">No tasks yet. Create one with: <code>nx g factory:task &lt;slug&gt;</code></p>`;
  return html`<table class="task-list">
    <thead>
      <tr>
        <th>task</th>
        <th>status</th>
        <th>pipeline</th>
        <th>stages</th>
        <th>rollout</th>
        <th>title</th>
      </tr>
    </thead>
    <tbody>
      ${tasks.map(
        (t) =>
          html`<tr data-slug="${t.slug}">
            <td><a data-nav class="mono" href="${href(t.slug)}">${t.slug}</a></td>
            <td>${verdictBadge('info', words(t.status ?? 'unknown'))}</td>
            <td>${t.problems.length && !t.overall_status ? verdictBadge('fail', 'invalid') : overallBadge(t.overall_status)}</td>
            <td class="small">${t.stages.passed} passed, ${t.stages.failed} failed, ${t.stages.not_run} not run</td>
            <td>
              ${t.rollout ? `${percent(t.rollout.percent)} ${t.rollout.strategy} (${words(t.rollout.phase)})` : html`<span class="muted">—</span>`}
            </td>
            <td>${t.title ?? ''}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

/** Relative links from a report file to each stage's log, as `.factory/<slug>/results/` lays them out. */
export type ReportLogHref = (slug: string) => LogHref;

/** `factory report <slug>`: one task's self-contained page. */
export function renderTaskReport(v: TaskView, logHref: LogHref): string {
  return renderDocument({
    title: `${v.slug}${v.title ? ` — ${v.title}` : ''} · Factory report`,
    body: taskArticle(v, { logHref }),
    scripts: [REPORT_SCRIPT],
  });
}

/** `factory report`: every task of the workspace in one self-contained page. */
export function renderWorkspaceReport(w: WorkspaceView, logHref: ReportLogHref): string {
  const body = html`<header class="page">
      <div>
        <h1>Factory report</h1>
        <div class="muted">${w.tasks.length} task(s)</div>
      </div>
      <div class="muted small">generated ${timeTag(w.generated_at)}</div>
    </header>
    <section id="tasks">
      <h2>Tasks</h2>
      ${taskListTable(w.tasks, (slug) => `#task-${slug}`)}
    </section>
    ${w.views.map((v) => taskArticle(v, { logHref: logHref(v.slug) }))}`;
  return renderDocument({ title: 'Factory report', body, scripts: [REPORT_SCRIPT] });
}
