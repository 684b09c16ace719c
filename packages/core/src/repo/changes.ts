import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChangedFile } from '../gates/changes';
import { resolveBase } from './commits';
import { parseRawNumstat } from './diff-records';
import { runGit } from './git';
import { listUntracked, readUntracked, type UntrackedFile } from './untracked';

/**
 * Options every diff against the working tree gets: rename detection, and the file's real content
 * (no external diff, no textconv), whatever the user's git config says.
 */
export const DIFF_ARGS = ['-M', '--no-ext-diff', '--no-textconv'] as const;

/** A full commit id (SHA-1 or SHA-256), as Factory records a task's base commit. */
const FULL_ID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * Every file changed between `base` and the working tree: committed since base, staged, unstaged,
 * and untracked files that are not ignored. Renames are detected among tracked files; an
 * untracked file is always `added`. Sorted by path. Throws `BASE_COMMIT` when base names no commit.
 *
 * Two git processes, started together: the diff and the list of untracked files. A full commit id
 * is not resolved first (`<id>^{commit}` makes git refuse anything but a commit, as `resolveBase`
 * does); only when the diff fails is it resolved, for the message. Any other base is resolved
 * first. Each process started blocks Node's main thread while it forks itself and waits for the
 * child's exec (~8 ms for the first, 4-5 ms for each next on a 2-core VM): `factory show` starts
 * these two and no more (docs/benchmarks.md).
 */
export async function changedFiles(repoRoot: string, base: string): Promise<ChangedFile[]> {
  if (!FULL_ID.test(base)) return changedFilesAt(repoRoot, await resolveBase(repoRoot, base));
  try {
    const [diff, untracked] = await Promise.all([
      runGit(['diff', '-z', '--raw', '--numstat', ...DIFF_ARGS, `${base}^{commit}`, '--'], { cwd: repoRoot }).then((r) => r.stdout),
      untrackedFiles(repoRoot),
    ]);
    return merged(diff, untracked);
  } catch (e) {
    // A base that names no commit here: the message resolveBase gives (it throws BASE_COMMIT).
    await resolveBase(repoRoot, base);
    throw e;
  }
}

const untrackedFiles = (repoRoot: string) => listUntracked(repoRoot).then((paths) => readUntracked(repoRoot, paths));

/**
 * `changedFiles` against a commit id already resolved (full hex). git is started before this
 * returns, and writes its diff to a file rather than a pipe, so it never waits for this process
 * to read (which may be busy loading code meanwhile; see stage/early-changes.ts).
 */
export async function changedFilesAt(repoRoot: string, sha: string): Promise<ChangedFile[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'factory-diff-'));
  const out = path.join(dir, 'diff');
  try {
    // Untracked files are read while git diffs the tracked ones.
    const [diff, untracked] = await Promise.all([
      runGit(['diff', '-z', '--raw', '--numstat', ...DIFF_ARGS, `--output=${out}`, sha, '--'], { cwd: repoRoot }).then(() =>
        readFileSync(out, 'utf8'),
      ),
      untrackedFiles(repoRoot),
    ]);
    return merged(diff, untracked);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The diff's files and the untracked ones, one entry per path, sorted by path. */
function merged(diff: string, untracked: UntrackedFile[]): ChangedFile[] {
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
