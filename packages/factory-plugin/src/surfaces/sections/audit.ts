import type { TaskView } from '@factory/core';
import { html, type SafeHtml } from '../html';
import { plural, words } from '../text';
import { timeTag, verdictBadge } from './overview';

const MAX_DETAILS = 200;

/** An event's details as one short line: its plain values, nested ones left out. */
export function detailsLine(details: Record<string, unknown> | undefined): string {
  if (!details) return '';
  const bits: string[] = [];
  for (const [k, v] of Object.entries(details)) {
    if (v === null || typeof v === 'object') continue;
    bits.push(`${k}=${String(v)}`);
  }
  const line = bits.join(' · ');
  return line.length > MAX_DETAILS ? `${line.slice(0, MAX_DETAILS - 1)}…` : line;
}

/** The audit history, oldest first, with the state of its hash chain. */
export function auditSection(v: TaskView): SafeHtml {
  const a = v.audit;
  const state = a.ok
    ? html`${verdictBadge('pass', 'chain verified')} ${plural(a.events, 'event')}, every hash
      intact${a.head ? html`; head #${a.head.seq} <span class="mono" title="${a.head.hash}">${a.head.hash.slice(0, 16)}…</span>` : ''}`
    : html`${verdictBadge('fail', `chain broken: ${a.problem?.kind ?? 'unknown'}`)}
        <span class="mono">${a.problem ? `${a.problem.file}:${a.problem.line}` : ''}</span> ${a.problem?.message ?? ''}`;
  const id = `${v.slug}-audit-table`;
  return html`<section id="${v.slug}-audit">
    <h2>Audit history</h2>
    <p data-audit="${a.ok ? 'verified' : 'broken'}">${state}</p>
    ${
      a.warnings.length
        ? html`<ul class="small">
            ${a.warnings.map((w) => html`<li>${w}</li>`)}
          </ul>`
        : ''
    }
    ${
      v.history.length
        ? html`<div class="toolbar">
              <input type="search" placeholder="filter events" aria-label="filter events" data-filter="${id}" /><span
                class="muted small"
                id="${id}-count"
                >${v.history.length} of ${v.history.length}</span
              >
            </div>
            <table id="${id}">
              <thead>
                <tr>
                  <th class="num">#</th>
                  <th>when</th>
                  <th>who</th>
                  <th>what</th>
                  <th>outcome</th>
                  <th>details</th>
                </tr>
              </thead>
              <tbody>
                ${v.history.map(
                  (e) =>
                    html`<tr>
                      <td class="num">${e.seq}</td>
                      <td>${timeTag(e.ts)}</td>
                      <td>${e.actor}</td>
                      <td>${words(e.action)}</td>
                      <td>${e.outcome}</td>
                      <td class="small mono">${detailsLine(e.details)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
        : html`<p class="muted">No events recorded.</p>`
    }
  </section>`;
}
