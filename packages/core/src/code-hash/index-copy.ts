import { copyFileSync, rmSync, statSync, utimesSync } from 'node:fs';

/**
 * Copies git's index to `to` for a private `GIT_INDEX_FILE`, keeping its modification time (made
 * 1 ms earlier). git trusts an entry's cached stat only when the file was not modified at or
 * after the index was written ("racy git"); a plain copy would carry a newer mtime and make a
 * file changed just after the last index write, with the same size, look unchanged.
 * Without an index (a repository with no commit yet) the copy is absent: git starts empty.
 */
export function copyIndex(from: string, to: string): void {
  const st = statSync(from, { throwIfNoEntry: false, bigint: true });
  if (!st) {
    rmSync(to, { force: true });
    return;
  }
  copyFileSync(from, to);
  const mtime = Number(st.mtimeNs / 1000n) / 1e6 - 0.001;
  utimesSync(to, mtime, mtime);
}
