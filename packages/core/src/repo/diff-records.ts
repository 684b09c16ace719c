import type { ChangedFile, ChangeStatus } from '../gates/changes';

const STATUS: Record<string, ChangeStatus> = {
  A: 'added',
  M: 'modified',
  D: 'deleted',
  R: 'renamed',
  C: 'copied',
  T: 'type-changed',
};

interface Counts {
  added: number;
  removed: number;
  binary: boolean;
}

/**
 * Parses the output of `git diff -z --raw --numstat`: first one raw record per file
 * (`:<modes> <ids> <status>\0<path>\0`, or `\0<old>\0<new>\0` for renames and copies), then one
 * numstat record per file (`<added>\t<removed>\t<path>\0`, or `\t\0<old>\0<new>\0`; `-` for binary).
 * Paths are taken as they are (-z output is never quoted). Unmerged (`U`) entries count as modified.
 */
export function parseRawNumstat(output: string): ChangedFile[] {
  const tokens = output.split('\0');
  const files = new Map<string, ChangedFile>();
  const counts = new Map<string, Counts>();
  /** Paths whose only raw record so far is `U`: a later record for the path replaces it. */
  const unmerged = new Set<string>();
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i];
    if (token === '') {
      i += 1;
      continue;
    }
    if (token.startsWith(':')) {
      const letter = token.slice(token.lastIndexOf(' ') + 1, token.lastIndexOf(' ') + 2);
      const status = STATUS[letter] ?? 'modified';
      const paired = letter === 'R' || letter === 'C';
      const file: ChangedFile = paired
        ? { path: tokens[i + 2], oldPath: tokens[i + 1], status, added: 0, removed: 0, binary: false }
        : { path: tokens[i + 1], status, added: 0, removed: 0, binary: false };
      if (!files.has(file.path) || unmerged.has(file.path)) {
        files.set(file.path, file);
        if (letter === 'U') unmerged.add(file.path);
        else unmerged.delete(file.path);
      }
      i += paired ? 3 : 2;
      continue;
    }
    const tab1 = token.indexOf('\t');
    const tab2 = token.indexOf('\t', tab1 + 1);
    const inline = token.slice(tab2 + 1);
    const filePath = inline === '' ? tokens[i + 2] : inline;
    const a = token.slice(0, tab1);
    const r = token.slice(tab1 + 1, tab2);
    const binary = a === '-' || r === '-';
    const prev = counts.get(filePath) ?? { added: 0, removed: 0, binary: false };
    counts.set(filePath, {
      added: prev.added + (binary ? 0 : Number(a)),
      removed: prev.removed + (binary ? 0 : Number(r)),
      binary: prev.binary || binary,
    });
    i += inline === '' ? 3 : 1;
  }
  return [...files.values()].map((f) => ({ ...f, ...(counts.get(f.path) ?? {}) }));
}
