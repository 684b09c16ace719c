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
  const sha = await resolveBase(repoRoot, base);
  // Untracked files are read while git diffs the tracked ones.
  const [diff, untracked] = await Promise.all([
    runGit(['diff', '-z', '--raw', '--numstat', ...DIFF_ARGS, sha, '--'], { cwd: repoRoot }),
    listUntracked(repoRoot).then((paths) => readUntracked(repoRoot, paths)),
  ]);
  const byPath = new Map(parseRawNumstat(diff.stdout).map((f) => [f.path, f]));
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
