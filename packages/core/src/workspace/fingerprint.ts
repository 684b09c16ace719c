import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compileGlobs, globBase } from '../repo/glob';
import { runGit } from '../repo/git';

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
    try {
      copyFileSync(realIndex, index);
    } catch {
      // No index yet (a repository without commits): start from an empty one.
    }
    const env = { GIT_INDEX_FILE: index };
    // Only the directories the globs start from are scanned (a path that does not exist has nothing to add).
    const bases = globs === undefined ? ['.'] : [...new Set(globs.map((g) => globBase(g) || '.'))].filter((b) => existsSync(path.join(codeRoot, b)));
    if (bases.length) await runGit(['add', '-A', '--', ...bases.map((b) => (b === '.' ? ':/' : `:(top,literal)${b}`))], { cwd: codeRoot, env });
    const listed = (await runGit(['ls-files', '-s', '-z'], { cwd: codeRoot, env })).stdout;
    const include = globs === undefined ? () => true : compileGlobs(globs);
    const excluded = exclude.length ? compileGlobs(exclude) : () => false;
    const match = (f: string) => include(f) && !excluded(f);
    const h = createHash('sha256');
    for (const entry of listed.split('\0')) {
      if (!entry) continue;
      const file = entry.slice(entry.indexOf('\t') + 1);
      if (match(file)) h.update(entry).update('\0');
    }
    return h.digest('hex');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
