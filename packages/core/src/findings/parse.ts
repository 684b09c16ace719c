import { outputLines } from '../process/output-lines';
import { parseBiome } from './biome';
import { parseEslintStylish } from './eslint-stylish';
import type { Finding, FindingFormat, FindingParser } from './finding';
import { parseFileList } from './file-list';
import { parseGcc } from './gcc';
import { parseStandard } from './standard';
import { parseUnifiedDiff } from './unified-diff';

/** The parser of each output format. */
export const FINDING_PARSERS: Readonly<Record<FindingFormat, FindingParser>> = {
  gcc: parseGcc,
  'eslint-stylish': parseEslintStylish,
  standard: parseStandard,
  biome: parseBiome,
  'unified-diff': parseUnifiedDiff,
  'file-list': parseFileList,
};

/**
 * The findings in a tool's whole combined stdout+stderr, read as `format`, in output order, with
 * `file` as the tool printed it (see `resolveFindings`). ANSI colours, CRLF endings and lines
 * rewritten with carriage returns are accepted; a finding printed more than once is kept once.
 * Linear in the size of the output.
 */
export function parseFindings(output: string, format: FindingFormat): Finding[] {
  // A finding printed twice is one (go vet reports a syntax error once for a package and once for its test variant).
  const seen = new Set<string>();
  return FINDING_PARSERS[format](outputLines(output)).filter((f) => {
    const key = JSON.stringify([f.file, f.line, f.column, f.rule, f.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
