/** One file's part of a unified git diff. */
export interface PatchSection {
  /** The new path (from the `+++ b/…` header); undefined when the file was deleted or has no hunks. */
  path?: string;
  text: string;
}

const HUNK = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/;
const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/** Undoes git's C-style quoting of a path (`"b/a\nb"`, `"\303\251"` → bytes → UTF-8). */
export function unquoteGitPath(quoted: string): string {
  const bytes: number[] = [];
  for (let i = 1; i < quoted.length - 1; i++) {
    const c = quoted[i];
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const e = quoted[++i];
    if (/[0-7]/.test(e)) {
      bytes.push(parseInt(quoted.slice(i, i + 3), 8));
      i += 2;
    } else {
      bytes.push(ESCAPES[e] ?? e.charCodeAt(0));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * The path named by a `+++ ` header with the `b/` prefix. Git quotes names holding `"`, `\` or
 * control characters (quoted or not), and ends the line with a tab when the name holds a space.
 */
export function headerPath(header: string, prefix = 'b/'): string | undefined {
  let name = header.endsWith('\t') ? header.slice(0, -1) : header;
  if (name === '/dev/null') return undefined;
  if (name.startsWith('"')) name = unquoteGitPath(name);
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

/**
 * Splits a unified git diff into one section per file. Hunk bodies are skipped by their line
 * counts, so content lines that look like headers (`diff --git`, `+++ x`) are never mistaken for them.
 */
export function splitPatch(patch: string): PatchSection[] {
  const sections: { path?: string; lines: string[] }[] = [];
  let current: { path?: string; lines: string[] } | undefined;
  let oldLeft = 0;
  let newLeft = 0;
  for (const line of patch.split('\n')) {
    if (oldLeft > 0 || newLeft > 0) {
      const c = line[0];
      if (c === '+') newLeft -= 1;
      else if (c === '-') oldLeft -= 1;
      else if (c !== '\\') {
        oldLeft -= 1;
        newLeft -= 1;
      }
    } else if (line.startsWith('diff --git ')) {
      current = { lines: [] };
      sections.push(current);
    } else if (line.startsWith('+++ ') && current) {
      current.path = headerPath(line.slice(4));
    } else {
      const hunk = HUNK.exec(line);
      if (hunk) {
        oldLeft = hunk[1] === undefined ? 1 : Number(hunk[1]);
        newLeft = hunk[2] === undefined ? 1 : Number(hunk[2]);
      }
    }
    current?.lines.push(line);
  }
  return sections.map((s) => ({ path: s.path, text: s.lines.join('\n') }));
}
