/**
 * What a lint or format tool reported about one place in one file. Plain types, no zod: this
 * module runs in the stage runner's small bundle.
 */
export type FindingSeverity = 'error' | 'warning';

export interface Finding {
  /**
   * The file as the tool printed it (relative to the directory it ran in, or absolute) until
   * `resolveFindings` makes it relative to the repository root.
   */
  file: string;
  /** 1-based line in the file as it is now; absent for a finding about the whole file. */
  line?: number;
  /** Last line of a range (a formatter's diff hunk), inclusive; absent for a single line. */
  endLine?: number;
  column?: number;
  /** The tool's rule id (`no-unused-vars`, `F401`, `lint/style/useConst`, `TS2304`, `E0425`). */
  rule?: string;
  /** Only when the tool said so. */
  severity?: FindingSeverity;
  message: string;
}

/**
 * The output formats a parser exists for, named by format rather than by tool:
 * - `gcc`: `path:line:col: message` and `path:line: message` (go vet, pyflakes, flake8, ruff
 *   `--output-format=concise`, oxlint `-f unix`, mypy, clippy/rustc `--message-format=short`)
 *   and tsc's `path(line,col): error TS…: message`.
 * - `eslint-stylish`: ESLint's default formatter.
 * - `standard`: standard-engine's report (standard, semistandard).
 * - `biome`: Biome's `--reporter=github` and `--reporter=concise`.
 * - `unified-diff`: formatters printing what they would change (`gofmt -d`, `black --diff`,
 *   `ruff format --diff`) and rustfmt's `Diff in path:N:` blocks (`cargo fmt --check`).
 * - `file-list`: formatters listing files (`prettier --check`/`-l`, `gofmt -l`, `black --check`,
 *   `ruff format --check`).
 */
export const FINDING_FORMATS = ['gcc', 'eslint-stylish', 'standard', 'biome', 'unified-diff', 'file-list'] as const;
export type FindingFormat = (typeof FINDING_FORMATS)[number];

/** A parser: the output's lines (ANSI removed, see `outputLines`) to findings, in output order. */
export type FindingParser = (lines: readonly string[]) => Finding[];

/** Builds a finding without the optional fields that are undefined (so results compare cleanly). */
export function finding(fields: Finding): Finding {
  const out: Finding = { file: fields.file, message: fields.message };
  if (fields.line !== undefined) out.line = fields.line;
  if (fields.endLine !== undefined && fields.endLine !== fields.line) out.endLine = fields.endLine;
  if (fields.column !== undefined) out.column = fields.column;
  if (fields.rule !== undefined && fields.rule !== '') out.rule = fields.rule;
  if (fields.severity !== undefined) out.severity = fields.severity;
  return out;
}
