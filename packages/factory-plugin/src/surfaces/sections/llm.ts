import type { ModeUsage, TaskView } from '@factory/core';
import { html, type SafeHtml } from '../html';
import { duration, thousands, usd } from '../text';
import { timeTag } from './overview';

function row(m: ModeUsage, total = false): SafeHtml {
  const cell = (s: SafeHtml | string) => (total ? html`<strong>${s}</strong>` : s);
  return html`<tr>
    <td>${cell(m.mode)}</td>
    <td class="num">${m.runs}</td>
    <td class="num">${m.calls}</td>
    <td class="num">${thousands(m.input_tokens)}</td>
    <td class="num">${thousands(m.output_tokens)}</td>
    <td class="num">${duration(m.latency_ms)}</td>
    <td class="num">${usd(m.cost_usd)}</td>
    <td>${m.last_outcome ?? ''} ${timeTag(m.last_run_at)}</td>
  </tr>`;
}

/** LLM usage: tokens, latency and cost per mode, and each call. */
export function llmSection(v: TaskView): SafeHtml {
  const u = v.llm;
  if (!u)
    return html`<section id="${v.slug}-llm">
      <h2>LLM usage</h2>
      <p class="muted">No model was called for this task.</p>
    </section>`;
  return html`<section id="${v.slug}-llm">
    <h2>LLM usage</h2>
    ${
      u.modes.length || u.total
        ? html`<table>
            <thead>
              <tr>
                <th>mode</th>
                <th class="num">runs</th>
                <th class="num">calls</th>
                <th class="num">input tokens</th>
                <th class="num">output tokens</th>
                <th class="num">latency</th>
                <th class="num">cost</th>
                <th>last run</th>
              </tr>
            </thead>
            <tbody>
              ${u.modes.map((m) => row(m))}${u.total ? row(u.total, true) : ''}
            </tbody>
          </table>`
        : ''
    }
    ${
      u.calls.length
        ? html`<details>
            <summary>${u.calls.length} call(s)</summary>
            <table>
              <thead>
                <tr>
                  <th>when</th>
                  <th>mode</th>
                  <th>model</th>
                  <th class="num">input</th>
                  <th class="num">output</th>
                  <th class="num">latency</th>
                  <th class="num">cost</th>
                </tr>
              </thead>
              <tbody>
                ${u.calls.map(
                  (c) =>
                    html`<tr>
                      <td>${timeTag(c.at)}</td>
                      <td>${c.mode ?? ''}</td>
                      <td class="mono">${c.model ?? ''}</td>
                      <td class="num">${c.input_tokens ?? ''}</td>
                      <td class="num">${c.output_tokens ?? ''}</td>
                      <td class="num">${duration(c.latency_ms)}</td>
                      <td class="num">${usd(c.cost_usd)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </details>`
        : ''
    }
  </section>`;
}
