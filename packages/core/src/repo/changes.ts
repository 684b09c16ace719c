import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChangedFile } from '../gates/changes';
import { resolveBase } from './commits';
import { parseRawNumstat } from './diff-records';
import { runGit } from './git';
import { listUntracked, readUntracked } from './untracked';

/**
 * Options every diff against the working tree gets: rename detection, and the file's real content
 * (no external diff, no textconv), whatever the user's git config says.
 */
export const DIFF_ARGS = ['-M', '--no-ext-diff', '--no-textconv'] as const;

/**
 * Every file changed between `base` and the working tree: committed since base, staged, unstaged,
 * and untracked files that are not ignored. Renames are detected among tracked files; an
 * untracked file is always `added`. Sorted by path. Throws `BASE_COMMIT` when base names no commit.
 */
export async function changedFiles(repoRoot: string, base: string): Promise<ChangedFile[]> {
  return changedFilesAt(repoRoot, await resolveBase(repoRoot, base));
}

/**
 * `changedFiles` against a commit id already resolved (full hex). git is started before this
 * returns, and writes its diff to a file rather than a pipe, so it never waits for this process
 * to read (which may be busy loading code meanwhile; see stage/early-changes.ts).
 */
export async function changedFilesAt(repoRoot: string, sha: string): Promise<ChangedFile[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'factory-diff-'));
  const out = path.join(dir, 'diff');
  let diff: string;
  let untracked: Awaited<ReturnType<typeof readUntracked>>;
  try {
    // Untracked files are read while git diffs the tracked ones.
    [diff, untracked] = await Promise.all([
      runGit(['diff', '-z', '--raw', '--numstat', ...DIFF_ARGS, `--output=${out}`, sha, '--'], { cwd: repoRoot }).then(() =>
        readFileSync(out, 'utf8'),
      ),
      listUntracked(repoRoot).then((paths) => readUntracked(repoRoot, paths)),
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const byPath = new Map(parseRawNumstat(diff).map((f) => [f.path, f]));
  for (const u of untracked) {
    const tracked = byPath.get(u.path);
    // Removed from the index (git rm --cached) but still on disk: the file was there at base and is
    // here now. Counts are those of removing the old content and adding the new one.
    byPath.set(
      u.path,
      tracked
        ? { path: u.path, status: 'modified', added: u.lines, removed: tracked.removed, binary: tracked.binary || u.binary }
        : { path: u.path, status: 'added', added: u.lines, removed: 0, binary: u.binary },
    );
  }
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
