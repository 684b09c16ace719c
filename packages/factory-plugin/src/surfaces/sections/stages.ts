import type { StageView, TaskView } from '@factory/core';
import { html, type SafeHtml } from '../html';
import { duration, metricText, words } from '../text';
import { timeTag, verdictBadge } from './overview';

/** Where a stage's full log is linked (a relative file path in a report, a URL in the dashboard). */
export type LogHref = (stage: StageView) => string | undefined;

function attestation(s: StageView): SafeHtml {
  const a = s.attestation;
  if (!a) return html``;
  const signed = a.keyids.length ? `signed by ${a.keyids.join(', ')}` : 'unsigned';
  const state =
    a.verified === true
      ? verdictBadge('pass', 'verified')
      : a.verified === false
        ? verdictBadge('fail', 'not verified')
        : verdictBadge('not_run', a.state ?? 'verification not recorded');
  return html`<p class="small">
    attestation <span class="mono">${a.file}</span>: ${a.problem ? html`<span class="bad-mark">${a.problem}</span>` : signed}
    ${state}${a.message ? html` <span class="muted">${a.message}</span>` : ''}
  </p>`;
}

/** Where a finding is, unless its message already starts with it. */
function findingPlace(f: NonNullable<StageView['findings']>[number]): SafeHtml {
  const where = f.file ? `${f.file}${f.line ? `:${f.line}` : ''}` : '';
  return where && !f.message.startsWith(f.file ?? '') ? html`<span class="mono">${where}</span> ` : html``;
}

function stageCard(slug: string, s: StageView, logHref: LogHref): SafeHtml {
  const metrics = Object.entries(s.metrics ?? {});
  const href = logHref(s);
  return html`<div class="stage s-${s.verdict}" data-stage="${s.name}" data-verdict="${s.verdict}">
    <div class="stage-head">
      <span class="name mono">${s.name}</span> ${verdictBadge(s.verdict)}
      ${s.required || s.verdict === 'advisory' ? '' : html`<span class="badge v-not_run" title="required_success: false">advisory stage</span>`}
      ${s.cached ? html`<span class="badge v-info" title="restored from the Nx cache">cache hit ⟲</span>` : ''}
      ${
        s.not_rerun_since
          ? html`<span class="badge v-advisory" title="${s.not_rerun_since} failed after this result, so Nx has not run this stage since: it is of earlier code"
            >not re-run: ${s.not_rerun_since} failed</span
          >`
          : ''
      }
      <span class="muted small"
        >${duration(s.duration_ms)}${s.finished_at ? html` · finished ${timeTag(s.finished_at)}` : ''}${s.needs.length ? ` · needs ${s.needs.join(', ')}` : ''}</span
      >
    </div>
    ${s.summary ? html`<pre class="cause">${s.summary}</pre>` : s.status === 'not_run' ? html`<p class="muted small">No result yet: run <code>nx run ${slug}:stage-${s.name}</code>.</p>` : ''}
    ${s.tests ? html`<p class="small">tests: <span class="ok-mark">${s.tests.passed} passed</span>, <span class="${s.tests.failed ? 'bad-mark' : ''}">${s.tests.failed} failed</span>, ${s.tests.skipped} skipped</p>` : ''}
    ${
      metrics.length
        ? html`<dl class="facts small">
            ${metrics.map(
              ([k, v]) =>
                html`<dt>${words(k)}</dt>
                  <dd>${metricText(v)}</dd>`,
            )}
          </dl>`
        : ''
    }
    ${
      s.findings?.length
        ? html`<h3>Findings</h3>
            <ul class="small">
              ${s.findings.map((f) => html`<li>${findingPlace(f)}${f.message}</li>`)}
            </ul>`
        : ''
    }
    ${
      s.warnings?.length
        ? html`<details>
            <summary>${s.warnings.length} warning(s)</summary>
            <ul class="small">
              ${s.warnings.map((w) => html`<li>${w}</li>`)}
            </ul>
          </details>`
        : ''
    }
    ${attestation(s)}
    ${s.log_file ? html`<p class="small">full log: ${href ? html`<a data-nav href="${href}" class="mono">${s.log_file}</a>` : html`<span class="mono">${s.log_file}</span>`}</p>` : ''}
    ${
      s.log_tail
        ? html`<details>
            <summary>last lines of the log</summary>
            <pre>${s.log_tail}</pre>
          </details>`
        : ''
    }
  </div>`;
}

/** Each stage: its verdict, cause, metrics, findings and a link to its full log. */
export function stagesSection(v: TaskView, logHref: LogHref): SafeHtml {
  const body = v.stages.length
    ? v.stages.map((s) => stageCard(v.slug, s, logHref))
    : html`<p class="muted">No stages: the contract could not be read (see the problems above).</p>`;
  return html`<section id="${v.slug}-stages">
    <h2>Stages</h2>
    ${body}
  </section>`;
}
