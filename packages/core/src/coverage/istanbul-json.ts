import type { CoverageTotal } from './total';

/** Where a json-summary object starts: istanbul writes the `total` key first. */
const TOTAL_START = /\{\s*"total"\s*:/g;

/**
 * Index just past the `}` that closes the object opening at `start`, skipping braces inside
 * strings; -1 when the text ends first.
 */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
  }
  return -1;
}

/** `total.lines.pct` of a parsed json-summary, when it is a number (istanbul writes `"Unknown"` for 0/0). */
function linesPct(json: string): number | undefined {
  try {
    const pct: unknown = JSON.parse(json)?.total?.lines?.pct;
    return typeof pct === 'number' && Number.isFinite(pct) ? pct : undefined;
  } catch {
    return undefined;
  }
}

/**
 * istanbul `json-summary` (`coverage-summary.json`, possibly printed after other output):
 * `total.lines.pct`. The line reported is the one holding the `"total"` key. Malformed JSON
 * yields undefined. Each candidate object is scanned once, so the search is linear.
 */
export function istanbulJsonCoverage(lines: readonly string[]): CoverageTotal | undefined {
  if (!lines.some((line) => line.includes('"total"'))) return undefined;
  const text = lines.join('\n');
  const starts = new RegExp(TOTAL_START);
  for (let match = starts.exec(text); match; match = starts.exec(text)) {
    const end = objectEnd(text, match.index);
    if (end < 0) return undefined;
    const percent = linesPct(text.slice(match.index, end));
    if (percent !== undefined) {
      const key = text.indexOf('"total"', match.index);
      return { percent, line: lineNumberAt(text, key) };
    }
    starts.lastIndex = end;
  }
  return undefined;
}

function lineNumberAt(text: string, index: number): number {
  let line = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
