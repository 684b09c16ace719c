import type { RolloutChart, TaskView } from '@factory/core';
import { html, type SafeHtml } from '../html';
import { duration, percent, when, words } from '../text';
import { timeTag, verdictBadge } from './overview';

const W = 720;
const H = 220;
const L = 46;
const R = 18;
const T = 14;
const B = 34;

function chartSvg(c: RolloutChart): SafeHtml {
  const span = Math.max(c.span_ms, 1);
  const x = (ms: number) => L + (ms / span) * (W - L - R);
  const y = (p: number) => T + (1 - p / 100) * (H - T - B);
  const f = (n: number) => n.toFixed(1);
  const pts: string[] = [];
  let last = 0;
  for (const p of c.points) {
    pts.push(`${f(x(p.offset_ms))},${f(y(last))}`, `${f(x(p.offset_ms))},${f(y(p.percent))}`);
    last = p.percent;
  }
  pts.push(`${f(W - R)},${f(y(last))}`);
  const area = `${f(x(0))},${f(y(0))} ${pts.join(' ')} ${f(W - R)},${f(y(0))}`;
  return html`<svg
    class="chart"
    viewBox="0 0 ${W} ${H}"
    role="img"
    aria-label="${`percent served over time, now ${c.percent} %`}"
    xmlns="http://www.w3.org/2000/svg"
  >
    ${[0, 25, 50, 75, 100].map((p) => html`<line class="grid" x1="${L}" x2="${W - R}" y1="${f(y(p))}" y2="${f(y(p))}"></line><text x="${L - 6}" y="${f(y(p) + 4)}" text-anchor="end">${p}%</text>`)}
    <polygon class="area" points="${area}"></polygon>
    <polyline class="line" points="${pts.join(' ')}"></polyline>
    ${c.points
      .filter((p, i) => i > 0 && p.percent !== c.points[i - 1].percent)
      .map((p) => {
        // Near the right edge the label goes left of its step, so it is not cut off.
        const right = x(p.offset_ms) > W - R - 40;
        return html`<text class="step" x="${f(x(p.offset_ms) + (right ? -4 : 4))}" y="${f(y(p.percent) - 5)}" text-anchor="${right ? 'end' : 'start'}">${p.percent}%</text>`;
      })}
    ${c.checks.map(
      (k) =>
        html`<circle class="${k.healthy ? 'check-ok' : 'check-bad'}" cx="${f(x(k.offset_ms))}" cy="${f(y(k.percent))}" r="5"
          ><title>${`health check ${when(k.at)} at ${k.percent} %: ${k.healthy ? 'healthy' : 'UNHEALTHY'}; ${k.message}`}</title></circle
        >`,
    )}
    <text x="${L}" y="${H - 12}">${when(c.started_at)}</text>
    <text x="${W - R}" y="${H - 12}" text-anchor="end">+${duration(c.span_ms) || '0 ms'}</text>
  </svg>`;
}

function healthText(h: { healthy: boolean; error_rate?: number; latency_ms?: number; message: string } | undefined): SafeHtml {
  if (!h) return html`<span class="muted">—</span>`;
  const figures = [
    h.error_rate !== undefined ? `error rate ${h.error_rate}` : '',
    h.latency_ms !== undefined ? `latency ${h.latency_ms} ms` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return html`${h.healthy ? verdictBadge('pass', 'healthy') : verdictBadge('fail', 'unhealthy')} ${figures}
    <span class="muted small">${h.message}</span>`;
}

/** The rollout: percent served over time with each health check, and its history. */
export function rolloutSection(v: TaskView): SafeHtml {
  const r = v.rollout;
  const c = v.rollout_chart;
  if (!r || !c)
    return html`<section id="${v.slug}-rollout">
      <h2>Rollout</h2>
      <p class="muted">Not rolled out: the task has not been approved.</p>
    </section>`;
  return html`<section id="${v.slug}-rollout">
    <h2>Rollout</h2>
    <p>
      <strong data-percent="${r.percent}">${percent(r.percent)}</strong> served,
      ${verdictBadge(r.phase === 'rolled_back' || r.phase === 'aborted' ? 'fail' : r.phase === 'complete' ? 'pass' : 'info', words(r.phase))}
      · ${r.strategy} ${r.steps.map((s) => percent(s)).join(' → ')} · approved by ${r.approved_by} ${timeTag(r.approved_at)}
    </p>
    ${chartSvg(c)}
    <table>
      <thead>
        <tr>
          <th>when</th>
          <th>who</th>
          <th>step</th>
          <th>health check</th>
        </tr>
      </thead>
      <tbody>
        ${r.history.map(
          (h) =>
            html`<tr>
              <td>${timeTag(h.at)}</td>
              <td>${h.by}</td>
              <td class="nowrap">${words(h.action)} ${percent(h.from)} → ${percent(h.to)}</td>
              <td>${healthText(h.health)}</td>
            </tr>`,
        )}
        ${c.checks
          .filter((k) => !r.history.some((h) => h.at === k.at))
          .map(
            (k) =>
              html`<tr>
                <td>${timeTag(k.at)}</td>
                <td></td>
                <td>held at ${percent(k.percent)}</td>
                <td>${healthText(k)}</td>
              </tr>`,
          )}
      </tbody>
    </table>
  </section>`;
}
