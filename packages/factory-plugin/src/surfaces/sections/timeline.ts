import type { Timeline } from '@factory/core';
import { html, type SafeHtml } from '../html';
import { duration, when, words } from '../text';
import { timeTag } from './overview';

const pct = (part: number, whole: number) => (whole > 0 ? Math.min(100, Math.max(0, (part / whole) * 100)) : 0);

/** The last run: each stage a bar on one time axis, coloured by verdict; parallel stages overlap. */
export function timelineSection(slug: string, t: Timeline | undefined): SafeHtml {
  if (!t) {
    return html`<section id="${slug}-timeline">
      <h2>Timeline</h2>
      <p class="muted">No stage has run yet.</p>
    </section>`;
  }
  const span = Math.max(t.span_ms, 1);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => duration(Math.round(span * f)) || '0 ms');
  return html`<section id="${slug}-timeline">
    <h2>Timeline of the last run</h2>
    <p class="muted small">${timeTag(t.started_at)} → ${timeTag(t.finished_at)}, ${duration(t.span_ms)}</p>
    <div class="timeline" role="list">
      ${t.bars.map(
        (b) =>
          html`<div class="tl-row" role="listitem" data-stage="${b.name}" data-verdict="${b.verdict}">
            <span class="tl-name mono" title="${b.name}">${b.name}</span>
            <span class="tl-track"
              ><span
                class="tl-bar v-${b.verdict}${b.cached ? ' cached' : ''}"
                style="left:${pct(b.offset_ms, span).toFixed(2)}%;width:${pct(b.duration_ms, span).toFixed(2)}%"
                title="${`${b.name}: ${words(b.verdict)}${b.cached ? ' (cache hit)' : ''}, ${duration(b.duration_ms)} from +${duration(b.offset_ms) || '0 ms'}`}"
              ></span
            ></span>
            <span class="tl-time">${duration(b.duration_ms)}${b.cached ? ' ⟲' : ''}</span>
          </div>`,
      )}
      <div class="tl-axis"><span></span><span class="ticks">${ticks.map((x) => html`<span>${x}</span>`)}</span><span></span></div>
    </div>
    <div class="legend">
      <span><i class="sw-pass"></i>passed</span><span><i class="sw-fail"></i>failed</span
      ><span><i class="sw-advisory"></i>failed, advisory</span><span><i class="sw-skipped"></i>skipped</span
      ><span><i class="sw-cached"></i>cache hit (⟲)</span>
    </div>
    ${t.earlier.length ? html`<p class="small muted">From earlier runs: ${t.earlier.map((e, i) => html`${i ? ', ' : ''}<span class="mono">${e.name}</span> (${words(e.verdict)}, ${when(e.finished_at)})`)}</p>` : ''}
    ${t.untimed.length ? html`<p class="small muted">Not on the axis (no result or no times): ${t.untimed.join(', ')}</p>` : ''}
  </section>`;
}
