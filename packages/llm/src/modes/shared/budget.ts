/**
 * Prompt budgets. Every piece of a prompt that comes from the repository (files, diffs, logs,
 * the spec) is cut to a number of characters, so a prompt never grows with the repository.
 * Cuts are marked in the text, so the model knows something is left out.
 */

/** Keeps the start and the end of `text` within `max` characters, with a marker in between. */
export function trimMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  const marker = `\n[… ${text.length - max} characters left out …]\n`;
  const keep = Math.max(0, max - marker.length);
  const head = Math.ceil(keep / 2);
  return text.slice(0, head) + marker + text.slice(text.length - (keep - head));
}

/** Keeps the end of `text` (where a log says what failed) within `max` characters. */
export function trimHead(text: string, max: number): string {
  if (text.length <= max) return text;
  const marker = `[… ${text.length - max} earlier characters left out …]\n`;
  return marker + text.slice(text.length - Math.max(0, max - marker.length));
}

export interface BudgetedPart {
  /** Shown as the part's heading, e.g. the file's path. */
  name: string;
  text: string;
}

/**
 * Fits parts into `budget` characters in the order given: each whole part that fits is taken;
 * the first that does not is cut to what is left (when that is worth showing), the rest are
 * only named. Returns the parts taken and the names left out.
 */
export function fitParts(parts: readonly BudgetedPart[], budget: number, minUseful = 400): { taken: BudgetedPart[]; omitted: string[] } {
  const taken: BudgetedPart[] = [];
  const omitted: string[] = [];
  let left = budget;
  for (const part of parts) {
    const cost = part.text.length + part.name.length + 16;
    if (cost <= left) {
      taken.push(part);
      left -= cost;
    } else if (left >= minUseful) {
      taken.push({ name: part.name, text: trimMiddle(part.text, left - part.name.length - 16) });
      left = 0;
    } else omitted.push(part.name);
  }
  return { taken, omitted };
}

/** Parts as fenced blocks under their names, and a line naming what was left out. */
export function renderParts(title: string, fitted: { taken: BudgetedPart[]; omitted: string[] }): string {
  const blocks = fitted.taken.map((p) => `### ${p.name}\n${fenced(p.text)}`);
  const more = fitted.omitted.length
    ? `\n(Left out for the prompt budget: ${fitted.omitted.slice(0, 50).join(', ')}${fitted.omitted.length > 50 ? ` and ${fitted.omitted.length - 50} more` : ''}.)`
    : '';
  return `## ${title}\n${blocks.length ? blocks.join('\n') : '(none)'}${more}`;
}

/** `text` in a Markdown fence longer than any run of backticks inside it, so it is shown unchanged. */
export function fenced(text: string, info = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${info}\n${text}${text.endsWith('\n') ? '' : '\n'}${fence}`;
}
