import type { CoverageTotal } from './total';
import { toPercent } from './total';

/** coverage.py `report`: the `TOTAL` row; its last column is the total (also with branch columns). */
const PY_TOTAL = /^\s*TOTAL\s/;
const PERCENT = /(\d+(?:\.\d+)?)%/g;
/** istanbul/c8 `text-summary`: `Lines        : 75% ( 3/4 )`. */
const SUMMARY_LINES = /^\s*Lines\s*:\s*(\d+(?:\.\d+)?)%/;
/** istanbul/c8 `text` table: `All files |  stmts | branch | funcs | lines | …`. */
const TABLE_TOTAL = /^\s*All files\s*\|/;
const TABLE_HEADER = /^\s*File\s*\|/;
/** The fifth column of `File | % Stmts | % Branch | % Funcs | % Lines | …` when no header is seen. */
const TABLE_LINES_COLUMN = 4;
/** Node's `--experimental-test-coverage`: `# all files | 75.00 | 100.00 | 50.00 |` (line % first). */
const NODE_TOTAL = /^\s*(?:#|ℹ)\s*all files\s*\|\s*(\d+(?:\.\d+)?)\s*\|/;

/** coverage.py: the last percentage on the last `TOTAL` row. */
export function coveragePyCoverage(lines: readonly string[]): CoverageTotal | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i];
    if (!PY_TOTAL.test(line)) continue;
    const figures = [...line.matchAll(PERCENT)];
    if (figures.length > 0) return { percent: Number(figures[figures.length - 1][1]), line: i };
  }
  return undefined;
}

/**
 * istanbul/c8 text reporters: the `Lines` row of `text-summary`, else the Lines column of the
 * `All files` row of the `text` table (located by the table's header when present).
 */
export function istanbulTextCoverage(lines: readonly string[]): CoverageTotal | undefined {
  let column = TABLE_LINES_COLUMN;
  let fromTable: CoverageTotal | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const summary = SUMMARY_LINES.exec(line);
    if (summary) return { percent: Number(summary[1]), line: i };
    if (TABLE_HEADER.test(line)) {
      const found = line.split('|').findIndex((cell) => /\bLines\b/.test(cell));
      column = found >= 0 ? found : TABLE_LINES_COLUMN;
    } else if (fromTable === undefined && TABLE_TOTAL.test(line)) {
      const percent = toPercent(line.split('|')[column]);
      if (percent !== undefined) fromTable = { percent, line: i };
    }
  }
  return fromTable;
}

/** Node's built-in test coverage report: the line % of the `all files` row. */
export function nodeTestCoverage(lines: readonly string[]): CoverageTotal | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const total = NODE_TOTAL.exec(lines[i]);
    if (total) return { percent: Number(total[1]), line: i };
  }
  return undefined;
}
