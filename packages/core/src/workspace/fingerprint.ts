import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compileGlobs, globBase } from '../repo/glob';
import { runGit } from '../repo/git';
import { digestIndexListing } from './fingerprint-digest';
import { copyIndex } from './index-copy';

/**
 * A fingerprint of the code a task works on: the content of every file in `codeRoot` (tracked
 * and untracked, not ignored; deleted files are absent), or only of the files matching
 * `globs` when given. Two states with the same files and contents have the same fingerprint,
 * whatever is committed or staged. Stage results record it, so approval can tell a result
 * made on the current code from a stale one.
 *
 * Works on a copy of git's index (`GIT_INDEX_FILE`), so the repository's own index and
 * working tree are untouched; `git add -A` on the copy only rehashes files whose stat changed.
 */
export async function codeFingerprint(codeRoot: string, globs?: readonly string[]): Promise<string> {
  const tmp = mkdtempSync(path.join(tmpdir(), 'factory-fp-'));
  const index = path.join(tmp, 'index');
  try {
    const realIndex = (await runGit(['rev-parse', '--path-format=absolute', '--git-path', 'index'], { cwd: codeRoot })).stdout.trim();
    copyIndex(realIndex, index);
    const env = { GIT_INDEX_FILE: index };
    // Only the directories the globs start from are scanned (a path that does not exist has nothing to add).
    const bases = globs === undefined ? ['.'] : [...new Set(globs.map((g) => globBase(g) || '.'))].filter((b) => existsSync(path.join(codeRoot, b)));
    if (bases.length) await runGit(['add', '-A', '--', ...bases.map((b) => (b === '.' ? ':/' : `:(top,literal)${b}`))], { cwd: codeRoot, env });
    const listed = (await runGit(['ls-files', '-s', '-z'], { cwd: codeRoot, env })).stdout;
    return digestIndexListing(listed, globs === undefined ? () => true : compileGlobs(globs));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
