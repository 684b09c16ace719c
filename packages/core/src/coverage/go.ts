import type { CoverageTotal } from './total';
import { toPercent } from './total';

/** `go tool cover -func` total row: `total:\t(statements)\t50.0%`. */
const FUNC_TOTAL = /^\s*total:\s+\(statements\)\s+(\d+(?:\.\d+)?)%/;
/** `go test -cover`, one per package: `coverage: 50.0% of statements` (`[no statements]` has no figure). */
const PACKAGE_COVERAGE = /\bcoverage: (\d+(?:\.\d+)?)% of statements/;

/**
 * Go coverage. The `total:` row of `go tool cover -func` is preferred. Otherwise
 * `go test -cover` prints one figure per package and there is no overall one: with a single
 * package that figure is the total; with several, the LOWEST package figure is returned
 * (a package-weighted average would overstate small, untested packages; the lowest is the
 * figure a coverage gate must hold). Packages reported as `[no statements]` are ignored; Go 1.22+
 * reports a package without test files as `coverage: 0.0%`, which then is the lowest.
 */
export function goCoverage(lines: readonly string[]): CoverageTotal | undefined {
  let lowest: CoverageTotal | undefined;
  for (let i = lines.length - 1; i >= 0; i--) {
    const total = FUNC_TOTAL.exec(lines[i]);
    if (total) return { percent: Number(total[1]), line: i };
  }
  for (let i = 0; i < lines.length; i++) {
    const percent = toPercent(PACKAGE_COVERAGE.exec(lines[i])?.[1]);
    if (percent !== undefined && (lowest === undefined || percent < lowest.percent)) {
      lowest = { percent, line: i };
    }
  }
  return lowest;
}
