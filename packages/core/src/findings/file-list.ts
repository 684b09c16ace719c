import { finding, type Finding } from './finding';
import { formatterError } from './tool-errors';

/** prettier --check: `[warn] src/a.ts`; its verdict line starts `[warn] Code style issues`. */
const PRETTIER_WARN = /^\[warn\] (\S.*)$/;
const PRETTIER_VERDICT = /^Code style issues\b/;
/** black --check `would reformat path`, ruff format --check `Would reformat: path`. */
const WOULD_REFORMAT = /^[Ww]ould reformat:? (\S.*)$/;
/** oxfmt's report of a file it could not parse (miette): `  x Expected `}` but found `EOF``, then `   ,-[src/bad.ts:2:1]`. */
const MIETTE_MESSAGE = /^\s*[x×]\s+(\S.*)$/;
const MIETTE_PLACE = /^\s*,-\[(\S.*?):(\d+):(\d+)\]$/;
/** A bare path as `gofmt -l` and `prettier -l` list them: no spaces, and an extension. */
const BARE_PATH = /^[\w./\\@+-]+\.[A-Za-z]\w*$/;

/** A listed name is a path when it has no space, or ends in an extension (`my file.ts`); a sentence ends in `.` or `!`. */
function listedPath(text: string): string | undefined {
  const name = text.trimEnd();
  return !/\s/.test(name) || /\.[A-Za-z0-9]+$/.test(name) ? name : undefined;
}

function listLine(line: string): Finding | undefined {
  const warn = PRETTIER_WARN.exec(line);
  if (warn) {
    const file = PRETTIER_VERDICT.test(warn[1]) ? undefined : listedPath(warn[1]);
    return file === undefined ? undefined : finding({ file, message: 'not formatted' });
  }
  const would = WOULD_REFORMAT.exec(line);
  if (would) return finding({ file: would[1].trimEnd(), message: 'not formatted' });
  if (BARE_PATH.test(line)) return finding({ file: line, message: 'not formatted' });
  return formatterError(line);
}

/**
 * Findings about whole files from formatters that only name them: `prettier --check`
 * (`[warn] path`), `prettier -l` and `gofmt -l` (one path a line), `black --check` (`would
 * reformat path`), `ruff format --check` (`Would reformat: path`), `oxfmt --list-different`. A
 * file the formatter could not parse is an error finding with its position where the tool gave one
 * (prettier's `[error] path: SyntaxError: … (2:10)`, gofmt's `path:line:col: message`, black's
 * `error: cannot format …`, oxfmt's `x message` over `,-[path:line:col]`).
 * `Checking formatting...`, verdicts, code frames and summaries are left out.
 */
export function parseFileList(lines: readonly string[]): Finding[] {
  const out: Finding[] = [];
  let error: string | undefined;
  for (const line of lines) {
    const place = error === undefined ? null : MIETTE_PLACE.exec(line);
    if (place) {
      out.push(finding({ file: place[1], line: Number(place[2]), column: Number(place[3]), severity: 'error', message: error as string }));
      error = undefined;
      continue;
    }
    error = MIETTE_MESSAGE.exec(line)?.[1];
    if (error !== undefined) continue;
    const f = listLine(line);
    if (f) out.push(f);
  }
  return out;
}
