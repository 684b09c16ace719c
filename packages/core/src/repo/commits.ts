import { FactoryError } from '../domain/errors';
import { formatGitCommand, runGit } from './git';

/**
 * Resolves `base` to the full id of the commit it names. Throws a `BASE_COMMIT` FactoryError
 * naming `base` when it names no commit (unknown, a blob or tree, empty, or option-like).
 */
export async function resolveBase(repoRoot: string, base: string): Promise<string> {
  const fail = (found: string) =>
    new FactoryError(
      'BASE_COMMIT',
      `expected the base ${JSON.stringify(base)} to name a commit in ${repoRoot}, but ${found}; ` +
        'pass a commit id, branch or tag that exists there (e.g. the output of "git rev-parse HEAD")',
      { field: 'base' },
    );
  if (base.trim() === '' || base.startsWith('-')) throw fail('it is not a revision');
  const args = ['rev-parse', '--verify', '--quiet', `${base}^{commit}`];
  const { stdout, exitCode } = await runGit(args, { cwd: repoRoot, allowExitCodes: [1] });
  const sha = stdout.trim();
  if (exitCode !== 0 || !/^[0-9a-f]{40,64}$/.test(sha)) throw fail(`${formatGitCommand(args)} found no commit`);
  return sha;
}

/** The full id of the commit checked out (HEAD); throws when the repository has no commit yet. */
export async function currentCommit(repoRoot: string): Promise<string> {
  const { stdout, exitCode } = await runGit(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], {
    cwd: repoRoot,
    allowExitCodes: [1],
  });
  if (exitCode !== 0) {
    throw new FactoryError('VCS', `expected a commit checked out in ${repoRoot}, found none (HEAD names no commit yet); commit once first`);
  }
  return stdout.trim();
}

/** True when nothing is staged, modified or untracked (ignored files do not count). */
export async function isClean(repoRoot: string): Promise<boolean> {
  const { stdout } = await runGit(['status', '--porcelain=v1', '-z', '--untracked-files=normal'], { cwd: repoRoot });
  return stdout === '';
}
