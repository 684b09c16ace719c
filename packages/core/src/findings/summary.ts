import type { Finding } from './finding';
import { plural } from '../domain/plural';

/** The default longest summary, as for a command's error summary (`SUMMARY_LINE_MAX`). */
export const FINDINGS_SUMMARY_MAX = 500;
/** Longest message quoted for one finding. */
const MESSAGE_MAX = 120;

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `src/a.ts:4 no-unused-vars 'x' is assigned a value but never used` (`:12-14` for a range, no line for a file). */
export function describeFinding(f: Finding): string {
  const where = f.line === undefined ? f.file : `${f.file}:${f.line}${f.endLine === undefined ? '' : `-${f.endLine}`}`;
  // On one line; spaces inside a line kept (a formatter's finding quotes the source it would reformat: `{  }`).
  const message = cut(
    f.message
      .replace(/\s*[\r\n]\s*/g, ' ')
      .replace(/\t/g, ' ')
      .trim(),
    MESSAGE_MAX,
  );
  return [where, f.rule, message].filter((s) => s !== undefined && s !== '').join(' ');
}

/**
 * As many findings as fit in `budget` characters, joined with `separator`, then `… N more`
 * when some did not fit; at least the first, cut to the budget.
 */
function listWithin(findings: readonly Finding[], budget: number, separator: string): string {
  let text = '';
  for (let i = 0; i < findings.length; i++) {
    const item = describeFinding(findings[i]);
    const rest = findings.length - i - 1;
    const tail = rest > 0 ? `${separator}… ${rest} more` : '';
    const next = text === '' ? item : `${text}${separator}${item}`;
    if (next.length + tail.length > budget) {
      if (text === '') return cut(item, Math.max(budget - `${separator}… ${findings.length - 1} more`.length, 20)) + tail;
      return `${text}${separator}… ${findings.length - i} more`;
    }
    text = next;
  }
  return text;
}

export interface VerdictSummaryOptions {
  /** What was judged: `changed lines`, `changed files`, `the change` (lines and what the base lacked) or `repository`. */
  where: 'changed lines' | 'changed files' | 'the change' | 'repository';
  /** Warnings in what was judged that do not fail (the project configured them as warnings). */
  warnings?: readonly Finding[];
  max?: number;
}

/**
 * The verdict in one line of at most `max` characters:
 * `2 findings in changed lines: src/a.ts:4 no-unused-vars …; src/b.ts:9 … (17 already there, not failing)`,
 * or for a pass `no findings in changed lines (17 already there: src/b.ts:3 …, …)`.
 */
export function verdictSummary(failing: readonly Finding[], preexisting: readonly Finding[], options: VerdictSummaryOptions): string {
  const max = options.max ?? FINDINGS_SUMMARY_MAX;
  const where = options.where === 'repository' ? 'in the repository' : `in ${options.where}`;
  const warnings = options.warnings ?? [];
  if (failing.length > 0) {
    const head = `${plural(failing.length, 'finding')} ${where}: `;
    const notFailing = [
      ...(warnings.length > 0 ? [`${plural(warnings.length, 'warning')} there`] : []),
      ...(preexisting.length > 0 ? [`${preexisting.length} already there`] : []),
    ];
    const tail = notFailing.length > 0 ? ` (${notFailing.join(', ')}, not failing)` : '';
    return head + listWithin(failing, max - head.length - tail.length, '; ') + tail;
  }
  const errors = warnings.length > 0 ? 'errors' : 'findings';
  let head = `no ${errors} ${where}`;
  if (warnings.length > 0) {
    const open = `; ${plural(warnings.length, 'warning')}, not failing (the project's configuration makes ${warnings.length === 1 ? 'it a warning' : 'them warnings'}): `;
    const budget = preexisting.length > 0 ? Math.floor((max - head.length) / 2) : max - head.length;
    head += open + listWithin(warnings, budget - open.length, ', ');
  }
  if (preexisting.length === 0) return head;
  const open = ` (${preexisting.length} already there: `;
  return `${head}${open}${listWithin(preexisting, max - head.length - open.length - 1, ', ')})`;
}
