import type { CoverageParser } from '../domain/stage';
import { outputLines } from '../process/output-lines';
import { goCoverage } from './go';
import { istanbulJsonCoverage } from './istanbul-json';
import { llvmCovCoverage } from './llvm-cov';
import { coveragePyCoverage, istanbulTextCoverage, nodeTestCoverage } from './text-formats';
import type { CoverageTotal } from './total';

export type { CoverageTotal } from './total';

type FormatReader = (lines: readonly string[]) => CoverageTotal | undefined;

/**
 * The reader for each explicit parser. `c8` prints through istanbul's reporters, so it reads
 * the same `text-summary` and `text` formats as `istanbul-text`.
 */
const READERS: Record<Exclude<CoverageParser, 'auto'>, FormatReader> = {
  go: goCoverage,
  'coverage-py': coveragePyCoverage,
  'istanbul-text': istanbulTextCoverage,
  'istanbul-json': istanbulJsonCoverage,
  c8: istanbulTextCoverage,
  'llvm-cov': llvmCovCoverage,
  'node-test': nodeTestCoverage,
};

/**
 * The order `auto` tries formats in: the ones with the most specific markers first
 * (llvm-cov's `Filename Regions …` header before any bare `TOTAL` row, which coverage.py
 * shares), coverage.py last.
 */
const AUTO_ORDER: readonly FormatReader[] = [
  llvmCovCoverage,
  goCoverage,
  istanbulJsonCoverage,
  istanbulTextCoverage,
  nodeTestCoverage,
  coveragePyCoverage,
];

/**
 * Finds the overall line coverage in output already split into lines (see `outputLines`)
 * and the index of the line that states it; undefined when the output has none.
 */
export function findCoverageTotal(lines: readonly string[], parser: CoverageParser = 'auto'): CoverageTotal | undefined {
  if (parser !== 'auto') return READERS[parser](lines);
  for (const read of AUTO_ORDER) {
    const total = read(lines);
    if (total) return total;
  }
  return undefined;
}

/**
 * The overall LINE coverage of a coverage tool's output, as a percentage (`66.66`), or
 * undefined when the output holds no coverage total. Where a tool reports several metrics
 * (statements, branches, functions, lines; regions, functions, lines) the lines figure of the
 * total row is returned. `auto` tries every known format. ANSI colours and CRLF are accepted.
 * For `go test -cover` over several packages this is the lowest package figure (see `goCoverage`).
 */
export function parseCoverage(output: string, parser: CoverageParser = 'auto'): number | undefined {
  return findCoverageTotal(outputLines(output), parser)?.percent;
}
