import { finding, type Finding, type FindingSeverity } from './finding';

/** GitHub workflow command: `::error title=lint/x,file=a.ts,line=3,endLine=3,col=1,endColumn=9::message`. */
const GITHUB = /^::(error|warning|notice) ([^:]*)::(.*)$/;
/** Concise reporter: `× src/a.ts:7:19: lint/suspicious/noDoubleEquals: message` (`!` warning, `i` info). */
const CONCISE = /^([×!i‼]) (\S.*)$/;
const CONCISE_SEVERITY: Record<string, FindingSeverity | undefined> = { '×': 'error', '!': 'warning', '‼': 'warning' };
/** Where a concise diagnostic is: `path:line:col` or `path`. */
const LOCATION = /^(.+?):(\d+):(\d+)$/;
/** Biome's `format` diagnostics are about the whole file; their position is always 1:2. */
const WHOLE_FILE_RULES = new Set(['format']);

/** Undoes the escaping of GitHub workflow commands (`%25`, `%0D`, `%0A`, and `%3A`, `%2C` in properties). */
function unescapeCommand(text: string): string {
  return text.replace(/%(25|0D|0A|3A|2C)/gi, (_, code: string) => String.fromCharCode(parseInt(code, 16)));
}

/** One line of Biome's `--reporter=github` output as a finding (undefined: not such a line). */
export function githubLine(line: string): Finding | undefined {
  const m = GITHUB.exec(line);
  if (!m) return undefined;
  const props = new Map<string, string>();
  for (const pair of m[2].split(',')) {
    const eq = pair.indexOf('=');
    if (eq > 0) props.set(pair.slice(0, eq), unescapeCommand(pair.slice(eq + 1)));
  }
  const file = props.get('file');
  if (!file) return undefined;
  const rule = props.get('title');
  const wholeFile = rule !== undefined && WHOLE_FILE_RULES.has(rule);
  const at = Number(props.get('line'));
  const end = Number(props.get('endLine'));
  const col = Number(props.get('col'));
  return finding({
    file,
    line: !wholeFile && at > 0 ? at : undefined,
    endLine: !wholeFile && end > at ? end : undefined,
    column: !wholeFile && at > 0 && col > 0 ? col : undefined,
    rule,
    severity: m[1] === 'notice' ? undefined : (m[1] as FindingSeverity),
    message: unescapeCommand(m[3]).trim(),
  });
}

function conciseLine(line: string): Finding | undefined {
  const m = CONCISE.exec(line);
  if (!m) return undefined;
  const text = m[2];
  const first = text.indexOf(': ');
  const second = first < 0 ? -1 : text.indexOf(': ', first + 2);
  if (second < 0) return undefined;
  const where = text.slice(0, first);
  const rule = text.slice(first + 2, second);
  if (/\s/.test(rule) || rule === '') return undefined;
  const loc = LOCATION.exec(where);
  const wholeFile = WHOLE_FILE_RULES.has(rule);
  return finding({
    file: loc ? loc[1] : where,
    line: loc && !wholeFile ? Number(loc[2]) : undefined,
    column: loc && !wholeFile ? Number(loc[3]) : undefined,
    rule,
    severity: CONCISE_SEVERITY[m[1]],
    message: text.slice(second + 2).trim(),
  });
}

/**
 * Findings in Biome's machine-readable line formats, `--reporter=github` (`::error
 * title=…,file=…,line=…::message`) and `--reporter=concise` (`× path:line:col: rule: message`),
 * from `biome lint`, `biome check` and `biome format` (1.x and 2.x). Formatting diagnostics
 * (`format`) are about the whole file. The banner, `Checked N files`, `Found N errors` and the
 * indented `× Some errors were emitted` are left out.
 */
export function parseBiome(lines: readonly string[]): Finding[] {
  const out: Finding[] = [];
  for (const line of lines) {
    const f = githubLine(line) ?? conciseLine(line);
    if (f) out.push(f);
  }
  return out;
}
