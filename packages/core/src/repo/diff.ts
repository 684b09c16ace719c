import { DIFF_ARGS } from './changes';
import { resolveBase } from './commits';
import { runGit } from './git';
import { listUntracked } from './untracked';

/** Patch output in the shape parsers expect, whatever diff.noprefix, color or diff.external say. */
export const PATCH_ARGS = ['--no-color', '--src-prefix=a/', '--dst-prefix=b/', ...DIFF_ARGS] as const;

/**
 * The unified diff of one file (path relative to the repository root) between `base` and the
 * working tree; for an untracked, not ignored file, its diff against /dev/null. Empty when the
 * file did not change. A renamed file is shown against its path at base (a new file when that
 * path did not exist there).
 */
export async function fileDiff(repoRoot: string, base: string, path: string): Promise<string> {
  const sha = await resolveBase(repoRoot, base);
  const tracked = await runGit(['--literal-pathspecs', 'diff', ...PATCH_ARGS, sha, '--', path], { cwd: repoRoot });
  if (tracked.stdout !== '') return tracked.stdout;
  const untracked = await listUntracked(repoRoot, [path]);
  if (!untracked.includes(path)) return '';
  const { stdout } = await runGit(['diff', '--no-index', ...PATCH_ARGS, '--', '/dev/null', path], {
    cwd: repoRoot,
    allowExitCodes: [1],
  });
  return stdout;
}

/**
 * The content of `path` (relative to the repository root) in the `base` commit, decoded as UTF-8,
 * or undefined when no file was there (a directory counts as none). Throws `BASE_COMMIT` when base
 * names no commit.
 */
export async function fileAtBase(repoRoot: string, base: string, path: string): Promise<string | undefined> {
  const sha = await resolveBase(repoRoot, base);
  const { stdout, exitCode } = await runGit(['cat-file', 'blob', `${sha}:${path}`], { cwd: repoRoot, allowExitCodes: [128] });
  return exitCode === 0 ? stdout : undefined;
}
