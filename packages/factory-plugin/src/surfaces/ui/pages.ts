import type { TaskListEntry, TaskView } from '@factory/core';
import { html, type SafeHtml } from '../html';
import { renderDocument } from '../page/document';
import { REPORT_SCRIPT } from '../page/report-script';
import { taskArticle, taskListTable } from '../task-page';
import { DASHBOARD_SCRIPT } from './dashboard-script';

export const DASHBOARD_SCRIPTS = [REPORT_SCRIPT, DASHBOARD_SCRIPT];

const ROLLING = ['deploying', 'deployed_to_staging', 'deployed_to_production'];

/** The buttons a task's state allows; core decides in the end (a refused action says why). */
export function actionsFor(v: TaskView): SafeHtml {
  const buttons: SafeHtml[] = [];
  if (v.status === 'ready_for_review' || v.status === 'review_approved')
    buttons.push(
      html`<label
          >strategy
          <select id="strategy-${v.slug}">
            <option>gradual</option>
            <option>canary</option>
            <option>immediate</option>
          </select></label
        >
        <button
          data-action="approve"
          data-slug="${v.slug}"
          data-confirm="${`Approve ${v.slug} (${v.title ?? ''}) and start its rollout, as you?`}"
        >
          Approve
        </button>`,
    );
  if (ROLLING.includes(v.status ?? '') && v.rollout && ['starting', 'active', 'holding'].includes(v.rollout.phase))
    buttons.push(
      html`<button
        data-action="advance"
        data-slug="${v.slug}"
        data-confirm="${`Run the health check and move ${v.slug} to its next rollout step?`}"
      >
        Advance rollout
      </button>`,
    );
  if (ROLLING.includes(v.status ?? ''))
    buttons.push(
      html`<button
        class="danger"
        data-action="abort"
        data-slug="${v.slug}"
        data-confirm="${`Abort the rollout of ${v.slug}: back to 0 % now, and the task reverted?`}"
      >
        Abort rollout
      </button>`,
    );
  return buttons.length ? html`<div class="actions">${buttons}</div>` : html``;
}

const chrome = (body: SafeHtml) =>
  html`<header class="page">
      <div>
        <h1><a data-nav href="/">Factory</a> dashboard</h1>
      </div>
      <div id="live" class="live">live</div>
    </header>
    <div id="notice" class="notice" hidden role="status"></div>
    ${body}`;

export const taskUrl = (slug: string): string => `/tasks/${encodeURIComponent(slug)}`;
export const logUrl = (slug: string, stage: string): string => `${taskUrl(slug)}/logs/${encodeURIComponent(stage)}`;

/** The article of one task, as the page holds it and as live updates replace it. */
export function taskFragment(v: TaskView): SafeHtml {
  return taskArticle(v, { logHref: (s) => (s.log_file ? logUrl(v.slug, s.name) : undefined), actions: actionsFor(v) });
}

export function listFragment(tasks: readonly TaskListEntry[]): SafeHtml {
  return taskListTable(tasks, taskUrl);
}

export function indexPage(tasks: readonly TaskListEntry[]): string {
  return renderDocument({
    title: 'Factory dashboard',
    body: chrome(
      html`<section>
        <h2>Tasks</h2>
        <div id="view" data-fragment="/fragment">${listFragment(tasks)}</div>
      </section>`,
    ),
    scripts: DASHBOARD_SCRIPTS,
  });
}

export function taskPage(v: TaskView): string {
  return renderDocument({
    title: `${v.slug} · Factory dashboard`,
    body: chrome(html`<div id="view" data-slug="${v.slug}" data-fragment="${taskUrl(v.slug)}/fragment">${taskFragment(v)}</div>`),
    scripts: DASHBOARD_SCRIPTS,
  });
}
