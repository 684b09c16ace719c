import { unquoteGitPath } from '../repo/patch-sections';
import { finding, type Finding } from './finding';
import { formatterError } from './tool-errors';

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,(\d+))? @@/;
/** rustfmt (`cargo fmt --check`): `Diff in /abs/src/lib.rs:9:`, and before rustfmt 1.5 `Diff in /abs/src/lib.rs at line 9:`. */
const RUSTFMT = /^Diff in (\S.*?)(?::(\d+)| at line (\d+)):$/;
/** Longest piece of source quoted in a message. */
const QUOTE_MAX = 80;

/**
 * The changes of one hunk, counted as its lines go by. Each run of removed and inserted lines
 * between context lines is one change (a formatter's hunk merges changes a few lines apart, and
 * the lines between them are not the formatter's to judge); its range is the current file's
 * lines it would change: a removed line is in it; an insertion between two lines (not replacing
 * removed ones) puts both neighbours in it.
 */
class HunkChanges {
  private readonly done: Finding[] = [];
  private next: number;
  private first = 0;
  private last = 0;
  private replacing = false;
  private removedAny = false;
  private removedText?: string;
  private insertedText?: string;

  /** `next`: the current file's line number of the hunk's first old-side line. */
  constructor(
    private readonly file: string,
    next: number,
  ) {
    this.next = next;
  }

  line(text: string): void {
    const kind = text[0];
    if (kind === '-') {
      this.cover(this.next);
      this.next += 1;
      this.replacing = true;
      this.removedAny = true;
      if (this.removedText === undefined && text.trim() !== '-') this.removedText = text.slice(1);
    } else if (kind === '+') {
      if (!this.replacing) {
        this.cover(Math.max(this.next - 1, 1));
        this.cover(this.next);
      }
      if (this.insertedText === undefined && text.trim() !== '+') this.insertedText = text.slice(1);
    } else if (kind !== '\\') {
      this.close();
      this.next += 1;
      this.replacing = false;
    }
  }

  /** One finding per change, in the order of the file. */
  findings(): Finding[] {
    this.close();
    return this.done;
  }

  private close(): void {
    if (this.first === 0) return;
    const quote = (s: string) => (s.trim().length > QUOTE_MAX ? `${s.trim().slice(0, QUOTE_MAX - 1)}…` : s.trim());
    const message =
      this.removedText !== undefined
        ? `would reformat: ${quote(this.removedText)}`
        : this.insertedText !== undefined
          ? `would insert: ${quote(this.insertedText)}`
          : `would ${this.removedAny ? 'remove' : 'insert'} blank lines`;
    this.done.push(finding({ file: this.file, line: this.first, endLine: this.last, message }));
    this.first = this.last = 0;
    this.removedAny = false;
    this.removedText = this.insertedText = undefined;
  }

  private cover(n: number): void {
    if (this.first === 0 || n < this.first) this.first = n;
    if (n > this.last) this.last = n;
  }
}

/** A `---`/`+++` header's name: without the tab and timestamp black and diff(1) add, unquoted. */
function headerName(text: string): string {
  const tab = text.indexOf('\t');
  const name = tab < 0 ? text : text.slice(0, tab);
  return name.startsWith('"') && name.endsWith('"') && name.length > 1 ? unquoteGitPath(name) : name;
}

/**
 * The current file a diff is about. Formatters diff the current file (old side) against the
 * formatted one (new side) and give both the file's name, gofmt adding `.orig` to the old one;
 * the new side's name is taken, the old side's when the new one is /dev/null. Git's `a/`/`b/`
 * prefixes are removed when both sides have them.
 */
function diffFile(minus: string, plus: string): string {
  const oldName = headerName(minus);
  const newName = headerName(plus);
  if (newName === '/dev/null') return oldName;
  if (oldName.startsWith('a/') && newName.startsWith('b/')) return newName.slice(2);
  return newName;
}

/**
 * Findings in the diffs formatters print of what they would change: unified diffs (`gofmt -d`,
 * `black --check --diff`, `ruff format --diff`, `diff -u`) and rustfmt's `Diff in path:N:` blocks
 * (`cargo fmt --check`), which carry no line counts: a block runs while lines start with a space,
 * `-` or `+`. One finding per change of a hunk or block (its run of removed and inserted lines),
 * `line`–`endLine` being the current file's lines it would change (context lines left out). A formatter's own errors printed between diffs (gofmt's
 * `path:line:col: message` syntax errors, black's `error: cannot format …`) are findings too;
 * `--- `/`+++ ` headers, `diff a b` lines, `would reformat …` and summaries are not. Hunk bodies
 * are skipped by their line counts, so content lines are never taken for headers.
 */
export function parseUnifiedDiff(lines: readonly string[]): Finding[] {
  const out: Finding[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ')) {
      const file = diffFile(line.slice(4), lines[i + 1].slice(4));
      i += 2;
      for (let hunk = HUNK.exec(lines[i] ?? ''); hunk; hunk = HUNK.exec(lines[i] ?? '')) {
        let oldLeft = hunk[2] === undefined ? 1 : Number(hunk[2]);
        let newLeft = hunk[3] === undefined ? 1 : Number(hunk[3]);
        // An old side of 0 lines names the line the insertion follows.
        const changes = new HunkChanges(file, oldLeft === 0 ? Number(hunk[1]) + 1 : Number(hunk[1]));
        for (i += 1; i < lines.length && (oldLeft > 0 || newLeft > 0); i++) {
          const kind = lines[i][0];
          changes.line(lines[i]);
          if (kind === '+') newLeft -= 1;
          else if (kind === '-') oldLeft -= 1;
          else if (kind !== '\\') {
            oldLeft -= 1;
            newLeft -= 1;
          }
        }
        out.push(...changes.findings());
      }
      continue;
    }
    const rustfmt = RUSTFMT.exec(line);
    if (rustfmt) {
      const changes = new HunkChanges(rustfmt[1], Number(rustfmt[2] ?? rustfmt[3]));
      for (i += 1; i < lines.length && /^[ +-]/.test(lines[i]); i++) changes.line(lines[i]);
      out.push(...changes.findings());
      continue;
    }
    const error = formatterError(line);
    if (error) out.push(error);
    i += 1;
  }
  return out;
}
