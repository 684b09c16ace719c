import { finding, type Finding } from './finding';

/** `  12:5  error  message  rule-id`: position and severity; the rest is split by hand. */
const PROBLEM = /^\s+(\d+):(\d+)\s+(error|warning)\s+(\S.*)$/;
/** A rule id: `no-debugger`, `@typescript-eslint/no-unused-vars`, `react-hooks/rules-of-hooks`. */
const RULE_ID = /^(?:@[\w.-]+\/)?[\w.-]+(?:\/[\w.-]+)*$/;
/** The summary that ends the report (`✖ 8 problems (5 errors, 3 warnings)`). */
const SUMMARY = /^[✖✔✓] /;

/**
 * Message and rule of a problem line's text. Stylish lays columns out with at least two spaces
 * between them and leaves the rule column empty for parsing errors, so the rule is the last
 * two-space-separated column when it looks like a rule id.
 */
function messageAndRule(text: string): { message: string; rule?: string } {
  const trimmed = text.trimEnd();
  const gap = trimmed.lastIndexOf('  ');
  if (gap < 0) return { message: trimmed };
  const rule = trimmed.slice(gap + 2).trimStart();
  return RULE_ID.test(rule) ? { message: trimmed.slice(0, gap).trimEnd(), rule } : { message: trimmed };
}

/**
 * Findings in ESLint's default `stylish` format: a file's path alone on a line, then one
 * indented `line:col  severity  message  rule` line per problem, a blank line between files and
 * a summary at the end. Problems at `0:0` (a file ESLint ignored) are about the whole file.
 * Lines that are not under a file header (crash reports, `--max-warnings` notices, the
 * summary) are left out.
 */
export function parseEslintStylish(lines: readonly string[]): Finding[] {
  const out: Finding[] = [];
  let file: string | undefined;
  for (const line of lines) {
    if (line.trim() === '') {
      file = undefined;
      continue;
    }
    const m = PROBLEM.exec(line);
    if (m) {
      if (file === undefined) continue;
      const at = Number(m[1]);
      const { message, rule } = messageAndRule(m[4]);
      out.push(
        finding({
          file,
          line: at > 0 ? at : undefined,
          column: at > 0 ? Number(m[2]) : undefined,
          rule,
          severity: m[3] as 'error' | 'warning',
          message,
        }),
      );
    } else if (!/^\s/.test(line) && !SUMMARY.test(line)) {
      file = line.trimEnd();
    } else {
      file = undefined;
    }
  }
  return out;
}
