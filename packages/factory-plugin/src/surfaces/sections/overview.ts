import type { TaskView } from '@factory/core';
import { html, type SafeHtml } from '../html';
import { percent, plural, when, words } from '../text';

/** `pass` / `fail` / … as a coloured badge. */
export function verdictBadge(verdict: string, label = words(verdict)): SafeHtml {
  return html`<span class="badge v-${verdict}">${label}</span>`;
}

export function overallBadge(overall: string | undefined): SafeHtml {
  if (!overall) return html`<span class="badge v-not_run">no pipeline</span>`;
  const verdict = overall === 'success' ? 'pass' : overall === 'failure' ? 'fail' : 'not_run';
  return verdictBadge(verdict, `pipeline: ${overall}`);
}

export function timeTag(iso: string | undefined): SafeHtml {
  return iso ? html`<time datetime="${iso}">${when(iso)}</time>` : html``;
}

function lifecycle(v: TaskView): SafeHtml {
  const l = v.lifecycle;
  return html`<ol class="lifecycle" aria-label="lifecycle">
      ${l.steps.map((s) => html`<li class="${s.state}" title="${s.at ? when(s.at) : s.state}">${words(s.status)}</li>`)}
    </ol>
    ${l.off_path ? html`<p class="off-path">${verdictBadge('fail', words(l.off_path.status))} after ${words(l.off_path.from ?? '')} ${timeTag(l.off_path.at)}${l.reason ? html`: <span class="mono">${l.reason}</span>` : ''}</p>` : ''}`;
}

/** The task's title, status, lifecycle and facts. */
export function overviewSection(v: TaskView): SafeHtml {
  const lc = v.lines_changed;
  return html`<section id="${v.slug}-overview" class="overview">
    <header class="page">
      <div>
        <h1><span class="mono">${v.slug}</span>${v.title ? html` — ${v.title}` : ''}</h1>
        <div>
          ${verdictBadge('info', words(v.status ?? 'unknown status'))}
          ${overallBadge(v.overall_status)}${v.rollout ? html` ${verdictBadge('info', `rollout ${percent(v.rollout.percent)} (${v.rollout.phase})`)}` : ''}
        </div>
      </div>
      <div class="muted small">generated ${timeTag(v.generated_at)}</div>
    </header>
    ${v.description ? html`<p>${v.description}</p>` : ''} ${lifecycle(v)}
    <dl class="facts">
      ${
        v.language
          ? html`<dt>language</dt>
              <dd>${v.language}</dd>`
          : ''
      }
      ${
        v.base_commit
          ? html`<dt>base commit</dt>
              <dd class="mono">${v.base_commit.slice(0, 12)}</dd>`
          : ''
      }
      ${
        v.created_at
          ? html`<dt>created</dt>
              <dd>${timeTag(v.created_at)}</dd>`
          : ''
      }
      ${
        lc
          ? html`<dt>lines changed</dt>
              <dd>+${lc.added} −${lc.removed} in ${plural(lc.files, 'file')} (${lc.counted} counted)</dd>`
          : ''
      }
      ${v.approvals.map(
        (a) =>
          html`<dt>approved</dt>
            <dd>by ${a.actor} ${timeTag(a.at)}${a.strategy ? ` (${a.strategy})` : ''}</dd>`,
      )}
    </dl>
  </section>`;
}

/** What could not be read: the page shows the rest. */
export function problemsSection(v: { slug: string; problems: string[] }): SafeHtml {
  if (!v.problems.length) return html``;
  return html`<section id="${v.slug}-problems" class="problems" role="alert">
    <h2>Problems (${v.problems.length})</h2>
    <p class="small">These files could not be read; the page shows everything else.</p>
    <ul>
      ${v.problems.map((p) => html`<li class="mono">${p}</li>`)}
    </ul>
  </section>`;
}
