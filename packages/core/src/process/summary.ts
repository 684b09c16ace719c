import { findCoverageTotal } from '../coverage/parse';
import { outputLines } from './output-lines';
import { firstErrorLike, lastMeaningful, passingStatus } from './summary-fallback';
import { FAILURE_RULES, listedFile } from './summary-rules';

/** The longest line a summary returns; longer lines are cut and end with `…`. */
export const SUMMARY_LINE_MAX = 500;

export interface SummaryOptions {
  /** The command's exit status; 0 means a passing run. Unknown (null/undefined) is read as failing. */
  exitCode?: number | null;
}

/**
 * A 1–2 line summary of a command's combined output, lines joined with `\n`; '' for empty
 * output. Each line is a whole output line, trimmed, cut to `SUMMARY_LINE_MAX` characters.
 * ANSI codes are removed and CRLF endings accepted first.
 *
 * - Failing run: the root cause. Every rule in `FAILURE_RULES` (go, cargo, python, pytest,
 *   mypy, pyflakes, tsc, jest, eslint, prettier, file lists) looks for its first error and the
 *   one found earliest in the output wins, so with several errors the first is returned, never
 *   a warning. Unknown tools: the first line that looks like an error (`looksLikeError`: not a
 *   warning or npm notice), else the last meaningful line.
 * - Passing run (`exitCode` 0): a file list's first file (`gofmt -l` exits 0 when it lists
 *   files), else the line holding the coverage total, else the final status line.
 *
 * Linear in the size of the output; a stage's timeout is the caller's concern.
 */
export function extractErrorSummary(output: string, options: SummaryOptions = {}): string {
  const lines = outputLines(output);
  const picked = options.exitCode === 0 ? passingLines(lines) : failingLines(lines);
  return picked.map((i) => capLine(lines[i].trim())).join('\n');
}

function passingLines(lines: readonly string[]): number[] {
  const files = listedFile(lines);
  if (files) return files;
  const coverage = findCoverageTotal(lines, 'auto');
  if (coverage) return [coverage.line];
  const status = passingStatus(lines);
  return status < 0 ? [] : [status];
}

function failingLines(lines: readonly string[]): number[] {
  let best: number[] | undefined;
  for (const rule of FAILURE_RULES) {
    const found = rule.find(lines);
    if (found && (best === undefined || found[0] < best[0])) best = found;
  }
  if (best) return best;
  const errorLike = firstErrorLike(lines);
  if (errorLike >= 0) return [errorLike];
  const last = lastMeaningful(lines);
  return last < 0 ? [] : [last];
}

function capLine(line: string): string {
  return line.length > SUMMARY_LINE_MAX ? `${line.slice(0, SUMMARY_LINE_MAX - 1)}…` : line;
}
