import { finding, type Finding } from './finding';
import { gccLine } from './gcc';

/** black: `error: cannot format /abs/app/x.py: Cannot parse: 1:11: def broken(:`. */
const BLACK_ERROR = /^error: cannot format (\S.*?): (\S.*)$/;
/** The position black quotes from its parser (`Cannot parse: 1:11: …`). */
const BLACK_POSITION = /^Cannot parse[^:]*: (\d+):(\d+): /;

/**
 * A formatter's report that it could not read a file, as a finding: gofmt's and ruff's
 * `path:line:col: message` (syntax errors) and black's `error: cannot format path: message`.
 * Formatters print these between their diffs or file names; they are errors in that file.
 */
export function formatterError(line: string): Finding | undefined {
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
  return gcc ? finding({ severity: 'error', ...gcc }) : undefined;
}
