import { githubLine } from './biome';
import { finding, type Finding } from './finding';
import { gccLine } from './gcc';

/** prettier: `[error] src/b.ts: SyntaxError: ':' expected. (2:10)` (its code frame lines start with a space or `>`;
 * its own messages, such as `[error] No files matching the pattern were found: …`, have a space before the colon). */
const PRETTIER_ERROR = /^\[error\] ([^\s>|]\S*?): (\S.*?)(?: \((\d+):(\d+)\))?$/;
/** black: `error: cannot format /abs/app/x.py: Cannot parse: 1:11: def broken(:`. */
const BLACK_ERROR = /^error: cannot format (\S.*?): (\S.*)$/;
/** The position black quotes from its parser (`Cannot parse: 1:11: …`). */
const BLACK_POSITION = /^Cannot parse[^:]*: (\d+):(\d+): /;

/**
 * A formatter's report that it could not read a file, as a finding: gofmt's and ruff's
 * `path:line:col: message` (syntax errors), prettier's `[error] path: SyntaxError: … (2:10)`,
 * black's `error: cannot format path: message` and
 * Biome's `::error title=parse,file=…` (see detect/node.ts, BIOME_FORMAT).
 * Formatters print these between their diffs or file names; they are errors in that file.
 */
export function formatterError(line: string): Finding | undefined {
  const prettier = PRETTIER_ERROR.exec(line);
  if (prettier) {
    return finding({
      file: prettier[1],
      line: prettier[3] === undefined ? undefined : Number(prettier[3]),
      column: prettier[4] === undefined ? undefined : Number(prettier[4]),
      severity: 'error',
      message: prettier[2],
    });
  }
  const black = BLACK_ERROR.exec(line);
  if (black) {
    const at = BLACK_POSITION.exec(black[2]);
    return finding({
      file: black[1],
      line: at ? Number(at[1]) : undefined,
      column: at ? Number(at[2]) : undefined,
      severity: 'error',
      message: black[2],
    });
  }
  const gcc = gccLine(line);
  if (gcc) return finding({ severity: 'error', ...gcc });
  // Biome's diagnostics other than formatting (a file it cannot parse), kept beside the diffs made of its format run.
  return line.startsWith('::') ? githubLine(line) : undefined;
}
