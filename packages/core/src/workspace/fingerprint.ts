import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compileGlobSet } from '../gates/glob-set';
import { globBase } from '../repo/glob';
import { runGit } from '../repo/git';
import { digestIndexListing } from './fingerprint-digest';
import { copyIndex } from './index-copy';

/** The repository's index file: `.git/index` when `.git` is a directory here (no git process), else git says. */
async function indexPath(codeRoot: string): Promise<string> {
  try {
    if (statSync(path.join(codeRoot, '.git')).isDirectory()) return path.join(codeRoot, '.git', 'index');
  } catch {
    // no .git here: a subdirectory, or a worktree whose .git is a file
  }
  return (await runGit(['rev-parse', '--path-format=absolute', '--git-path', 'index'], { cwd: codeRoot })).stdout.trim();
}

/**
 * A fingerprint of the code a task works on: the content of every file in `codeRoot` (tracked
 * and untracked, not ignored; deleted files are absent), or only of the files matching
 * `globs` when given, less those matching `exclude`. Two states with the same files and
 * contents have the same fingerprint, whatever is committed or staged. Stage results record it, so approval can tell a result
 * made on the current code from a stale one.
 *
 * Works on a copy of git's index (`GIT_INDEX_FILE`), so the repository's own index and
 * working tree are untouched; `git add -A` on the copy only rehashes files whose stat changed.
 */
export async function codeFingerprint(codeRoot: string, globs?: readonly string[], exclude: readonly string[] = []): Promise<string> {
  const tmp = mkdtempSync(path.join(tmpdir(), 'factory-fp-'));
  const index = path.join(tmp, 'index');
  try {
    const realIndex = await indexPath(codeRoot);
    // Keeps the index's mtime, so git rechecks files changed since it was written (see index-copy).
    copyIndex(realIndex, index);
    const env = { GIT_INDEX_FILE: index };
    // Only the directories the globs start from are scanned (a path that does not exist has nothing to add).
    const bases =
      globs === undefined ? ['.'] : [...new Set(globs.map((g) => globBase(g) || '.'))].filter((b) => existsSync(path.join(codeRoot, b)));
    if (bases.length)
      await runGit(['add', '-A', '--', ...bases.map((b) => (b === '.' ? ':/' : `:(top,literal)${b}`))], { cwd: codeRoot, env });
    const listed = (await runGit(['ls-files', '-s', '-z'], { cwd: codeRoot, env })).stdout;
    // Glob sets (one regular expression per path, not one per glob): this runs on every stage.
    const include = globs === undefined ? () => true : compileGlobSet(globs).matches;
    const excluded = exclude.length ? compileGlobSet(exclude).matches : () => false;
    return digestIndexListing(listed, (f: string) => include(f) && !excluded(f));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
