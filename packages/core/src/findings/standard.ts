import { finding, type Finding } from './finding';

/**
 * standard-engine's report (standard, semistandard): a finding a line, indented two spaces,
 * `  /abs/path/file.js:11:7: 'x' is assigned a value but never used. (no-unused-vars)`, a rule
 * `(null)` for a parsing error and ` (warning)` after a warning's rule, under headers on stderr
 * (`standard: Use JavaScript Standard Style (…)`, `standard: Run \`standard --fix\` …`). The path
 * has no whitespace.
 */
const STANDARD_LINE = /^ {2}((?:[A-Za-z]:)?[^\s:]+):(\d+):(\d+): (\S.*)$/;
const TAIL = / \(([@\w/-]+)\)( \(warning\))?$/;

/** Findings in standard-engine's report; its headers are left out. */
export function parseStandard(lines: readonly string[]): Finding[] {
  const out: Finding[] = [];
  for (const line of lines) {
    const m = STANDARD_LINE.exec(line);
    if (!m) continue;
    const tail = TAIL.exec(m[4]);
    out.push(
      finding({
        file: m[1],
        line: Number(m[2]),
        column: Number(m[3]),
        rule: tail && tail[1] !== 'null' ? tail[1] : undefined,
        severity: tail?.[2] ? 'warning' : 'error',
        message: (tail ? m[4].slice(0, tail.index) : m[4]).trim(),
      }),
    );
  }
  return out;
}
