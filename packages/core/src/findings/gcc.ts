import { finding, type Finding, type FindingSeverity } from './finding';

/**
 * `path:line:col: message` or `path:line: message`, after go vet's optional `vet: ` prefix. The
 * path has no whitespace (an optional Windows drive aside); no part can match the same text two
 * ways, so matching is linear in the line.
 */
const GCC_LINE = /^(?:vet: )?((?:[A-Za-z]:)?[^\s:]+):(\d+)(?::(\d+))?: (\S.*)$/;
/** tsc: `src/a.ts(14,3): error TS2322: message`. */
const TSC_LINE = /^((?:[A-Za-z]:)?[^\s:(]+)\((\d+),(\d+)\): (\S.*)$/;
/** A message's own level: gcc/rustc `warning: `, `error[E0425]: `, tsc `error TS2304: `. */
const LEVEL = /^(error|warning)(?:\[([\w-]+)\]| (TS\d+))?: (.*)$/;
/** Lines that belong to the finding before them rather than being findings. */
const ATTACHED = /^(?:note|help|info): /;
/** flake8 and ruff: `F401 message`, ruff marking fixable ones `F401 [*] message`. */
const CODE_FIRST = /^([A-Z]{1,4}\d{1,4}) (?:\[\*\] )?(.*)$/;
/** oxlint `-f unix`: `message [Warning/eslint(no-unused-vars)]` or `message [Error]` (matched on the last ` [`). */
const OXLINT_TAIL = /^ \[(Error|Warning)(?:\/([^\]]+))?\]$/;
/** mypy: `error: message  [arg-type]` (matched on the last `  [`). */
const MYPY_TAIL = /^ {2}\[([a-z][\w-]*)\]$/;

/**
 * A bracketed tail of `text` starting at its last `opener`, matched by `pattern` (anchored at
 * both ends), with the message before it. Looking for the opener first keeps this linear where an
 * unanchored pattern would retry at every ` [` of a long line.
 */
function tail(text: string, opener: string, pattern: RegExp): { m: RegExpExecArray; before: string } | undefined {
  if (!text.endsWith(']')) return undefined;
  const at = text.lastIndexOf(opener);
  const m = at < 0 ? null : pattern.exec(text.slice(at));
  return m ? { m, before: text.slice(0, at) } : undefined;
}

interface Parts {
  rule?: string;
  severity?: FindingSeverity;
  message: string;
}

/** Severity and rule from the message text, the way each tool writes them; undefined for a note. */
function messageParts(text: string): Parts | undefined {
  if (ATTACHED.test(text)) return undefined;
  const level = LEVEL.exec(text);
  if (level) {
    const severity = level[1] as FindingSeverity;
    const message = level[4];
    const mypy = level[2] === undefined && level[3] === undefined ? tail(message, '  [', MYPY_TAIL) : undefined;
    if (mypy) return { severity, rule: mypy.m[1], message: mypy.before };
    return { severity, rule: level[2] ?? level[3], message };
  }
  const oxlint = tail(text, ' [', OXLINT_TAIL);
  if (oxlint) return { severity: oxlint.m[1] === 'Error' ? 'error' : 'warning', rule: oxlint.m[2], message: oxlint.before };
  const code = CODE_FIRST.exec(text);
  if (code) return { rule: code[1], message: code[2] };
  return { message: text };
}

/** A path as tools print them has a directory separator or an extension; `12:30:05: x` has neither. */
function looksLikePath(file: string): boolean {
  return /[./\\]/.test(file);
}

/** One line in gcc's (or tsc's) form as a finding; undefined for any other line. */
export function gccLine(line: string): Finding | undefined {
  const m = GCC_LINE.exec(line) ?? TSC_LINE.exec(line);
  if (!m || !looksLikePath(m[1])) return undefined;
  const parts = messageParts(m[4]);
  if (!parts) return undefined;
  return finding({
    file: m[1],
    line: Number(m[2]),
    column: m[3] === undefined ? undefined : Number(m[3]),
    rule: parts.rule,
    severity: parts.severity,
    message: parts.message.trim(),
  });
}

/** rustc's and clippy's long form names the place on the line after the message: `  --> src/a.rs:3:9`. */
const RUSTC_PLACE = /^\s*--> ((?:[A-Za-z]:)?[^\s:]+):(\d+):(\d+)$/;

/**
 * A finding in rustc's long form: `warning: message` (or `error[E0425]: message`) with its place
 * on the next line. Cargo replays the diagnostics of a crate it does not rebuild as they were
 * first printed, so `cargo clippy --message-format=short` prints this form after a run of plain
 * `cargo clippy`: the same findings, which must not read as none.
 */
function rustcLongForm(line: string, next: string | undefined): Finding | undefined {
  if (next === undefined || !next.includes('--> ') || (!line.startsWith('warning') && !line.startsWith('error'))) return undefined;
  const place = RUSTC_PLACE.exec(next);
  const level = place ? LEVEL.exec(line) : null;
  if (!place || !level || level[3] !== undefined) return undefined;
  return finding({
    file: place[1],
    line: Number(place[2]),
    column: Number(place[3]),
    rule: level[2],
    severity: level[1] as FindingSeverity,
    message: level[4].trim(),
  });
}

/**
 * Findings in gcc's format: `path:line:col: message`, `path:line: message` and tsc's
 * `path(line,col): error TS…: message`, and rustc's long form (see `rustcLongForm`). Headers
 * (`# pkg`), source excerpts, carets, indented continuations, notes, stack frames and summaries
 * (`Found 3 errors.`) are left out.
 */
export function parseGcc(lines: readonly string[]): Finding[] {
  const out: Finding[] = [];
  for (let i = 0; i < lines.length; i++) {
    const f = gccLine(lines[i]) ?? rustcLongForm(lines[i], lines[i + 1]);
    if (f) out.push(f);
  }
  return out;
}
