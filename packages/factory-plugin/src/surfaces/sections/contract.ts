import type { TaskView } from '@factory/core';
import { html, type SafeHtml } from '../html';
import { percent, words } from '../text';
import { timeTag, verdictBadge } from './overview';

const clamp = (p: number) => Math.min(100, Math.max(0, p));

/** The coverage figure against the contract's floor. */
export function coverageSection(v: TaskView): SafeHtml {
  const c = v.coverage;
  const head = html`<h2>Coverage</h2>`;
  if (!c)
    return html`<section id="${v.slug}-coverage">
      ${head}
      <p class="muted">No coverage figure and no floor in the contract.</p>
    </section>`;
  if (c.percent === undefined)
    return html`<section id="${v.slug}-coverage">
      ${head}
      <p>No coverage figure yet; the contract's floor is <strong>${percent(c.floor)}</strong>.</p>
    </section>`;
  const behind = v.stages.find((s) => s.name === c.stage)?.not_rerun_since;
  return html`<section id="${v.slug}-coverage">
    ${head}
    <p>
      <strong class="${c.met ? 'ok-mark' : 'bad-mark'}" data-coverage="${c.percent}">${percent(c.percent)}</strong> of lines covered, floor
      ${percent(c.floor)}:
      ${c.met ? verdictBadge('pass', 'at or above the floor') : verdictBadge('fail', 'below the floor')}${c.stage ? html` <span class="muted small">(from stage <span class="mono">${c.stage}</span>)</span>` : ''}${
        behind
          ? html` <span class="badge v-advisory">of earlier code: not re-run since <span class="mono">${behind}</span> failed</span>`
          : ''
      }
    </p>
    <div class="meter" role="img" aria-label="${`coverage ${c.percent} % against a floor of ${c.floor} %`}">
      <span class="fill ${c.met ? 'ok' : 'bad'}" style="width:${clamp(c.percent).toFixed(2)}%"></span
      ><span class="floor" style="left:${clamp(c.floor).toFixed(2)}%" title="floor ${percent(c.floor)}"></span>
    </div>
  </section>`;
}

function linesMeter(lines: NonNullable<NonNullable<TaskView['contract']>['lines']>): SafeHtml {
  const over = lines.counted > lines.max;
  const fill = lines.max > 0 ? (lines.counted / lines.max) * 100 : over ? 100 : 0;
  return html`<p>
      lines: <strong class="${over ? 'bad-mark' : 'ok-mark'}">${lines.counted}</strong> of max_lines_changed ${lines.max}
      counted${lines.excluded ? `, ${lines.excluded} in lockfiles and generated files not counted` : ''}${lines.source === 'stage' ? html` <span class="muted small">(at the contract stage's last run)</span>` : ''}
    </p>
    <div class="meter" role="img" aria-label="${`${lines.counted} of ${lines.max} lines`}">
      <span class="fill ${over ? 'bad' : 'ok'}" style="width:${clamp(fill).toFixed(2)}%"></span>
    </div>`;
}

/** The contract check: each changed file allowed or not, lines against the budget, dependencies. */
export function contractSection(v: TaskView): SafeHtml {
  const c = v.contract;
  if (!c)
    return html`<section id="${v.slug}-contract">
      <h2>Contract</h2>
      <p class="muted">The contract could not be read.</p>
    </section>`;
  const files = c.files;
  const refused = files?.filter((f) => !f.allowed).length ?? 0;
  return html`<section id="${v.slug}-contract">
    <h2>Contract</h2>
    <p>
      ${c.stage ? html`contract stage: ${verdictBadge(c.stage.status === 'success' ? 'pass' : c.stage.status === 'failure' ? 'fail' : 'skipped', words(c.stage.status))} ${timeTag(c.stage.finished_at)}${c.stage.summary ? html` — ${c.stage.summary}` : ''}` : html`<span class="muted">The contract stage has not run; below is the task's change as it stands.</span>`}
    </p>
    <dl class="facts small">
      <dt>allowed</dt>
      <dd class="mono">${c.allowed_files.join(', ') || '(nothing)'}</dd>
      <dt>forbidden</dt>
      <dd class="mono">${c.forbidden_files.join(', ') || '(nothing)'}</dd>
      <dt>dependencies</dt>
      <dd>
        ${c.dependencies_added.length ? html`added: <span class="mono">${c.dependencies_added.join(', ')}</span>` : 'none added'}
        (${c.new_dependencies_allowed ? 'new dependencies allowed' : 'new dependencies not allowed'})
      </dd>
    </dl>
    ${c.lines ? linesMeter(c.lines) : ''}
    ${
      files && !files.length
        ? html`<p class="muted">No file changed since the base commit.</p>`
        : files
          ? html`<h3>Files changed (${files.length}${refused ? html`, <span class="bad-mark">${refused} not allowed</span>` : ''})</h3>
            <table class="files">
              <thead>
                <tr>
                  <th>file</th>
                  <th>change</th>
                  <th class="num">+</th>
                  <th class="num">−</th>
                  <th>contract</th>
                </tr>
              </thead>
              <tbody>
                ${files.map(
                  (f) =>
                    html`<tr data-allowed="${f.allowed ? 'yes' : 'no'}">
                      <td class="mono">${f.path}${f.old_path ? html` <span class="muted">(from ${f.old_path})</span>` : ''}</td>
                      <td>${f.status}${f.binary ? ' (binary)' : ''}</td>
                      <td class="num">${f.added}</td>
                      <td class="num">${f.removed}</td>
                      <td>
                        ${f.allowed ? html`<span class="ok-mark">✓ allowed</span>` : html`<span class="bad-mark">✗ ${f.forbidden_by ? html`forbidden by <span class="mono">${f.forbidden_by}</span>` : 'not in allowed_files'}</span>`}${f.counted ? '' : html` <span class="muted small">not counted</span>`}
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>`
          : html`<p class="muted">The changed files could not be listed (see the problems).</p>`
    }
    ${
      c.violations.length
        ? html`<h3>Violations at the last run</h3>
            <ul>
              ${c.violations.map((f) => html`<li><span class="badge v-fail">${f.rule}</span> ${f.message}</li>`)}
            </ul>`
        : ''
    }
  </section>`;
}
