import type { CoverageTotal } from './total';
import { toPercent } from './total';

/** `llvm-cov report` header: `Filename  Regions  Missed Regions  Cover  Functions  …`. */
const HEADER = /^\s*Filename\s+(?:Regions|Functions|Lines)\b/;
const TOTAL_ROW = /^\s*TOTAL\s/;

/**
 * Column names of an `llvm-cov report` header, with two-word names (`Missed Regions`,
 * `Missed Lines`) kept as one column so that names and row cells line up.
 */
function headerColumns(header: string): string[] {
  const columns: string[] = [];
  for (const word of header.split(/\s+/)) {
    const previous = columns[columns.length - 1];
    if (previous === 'Missed') columns[columns.length - 1] = `${previous} ${word}`;
    else columns.push(word);
  }
  return columns;
}

/**
 * `llvm-cov report`: the Lines `Cover` cell of the `TOTAL` row. The report has three (or four,
 * with branches) `Cover` columns; the header says which one follows `Lines`. A report
 * without a header is not read, because the columns cannot then be told apart.
 */
export function llvmCovCoverage(lines: readonly string[]): CoverageTotal | undefined {
  let column = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (HEADER.test(line)) {
      const columns = headerColumns(line.trim());
      const linesAt = columns.indexOf('Lines');
      column = linesAt < 0 ? -1 : columns.indexOf('Cover', linesAt);
    } else if (column >= 0 && TOTAL_ROW.test(line)) {
      const percent = toPercent(line.trim().split(/\s+/)[column]);
      if (percent !== undefined) return { percent, line: i };
    }
  }
  return undefined;
}
