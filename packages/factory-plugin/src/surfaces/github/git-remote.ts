import { FactoryError, runGit } from '@factory/core';

/** `owner/name` from a remote URL of the given web host (https or ssh form), if it is one. */
export function repositoryOf(remoteUrl: string, webHost: string): string | undefined {
  const host = webHost.toLowerCase();
  const patterns = [
    /^(?:https?|ssh|git):\/\/(?:[^@/]+@)?([^/:]+)(?::\d+)?\/([^/]+)\/([^/]+?)(?:\.git)?\/?$/i,
    /^(?:[^@/]+@)?([^/:]+):([^/]+)\/([^/]+?)(?:\.git)?\/?$/,
  ];
  for (const p of patterns) {
    const m = p.exec(remoteUrl.trim());
    if (m && m[1].toLowerCase() === host.replace(/:\d+$/, '')) return `${m[2]}/${m[3]}`;
  }
  return undefined;
}

export async function remoteUrl(root: string, remote: string): Promise<string> {
  const r = await runGit(['remote', 'get-url', remote], { cwd: root, allowExitCodes: [2, 128] });
  if (r.exitCode !== 0)
    throw new FactoryError(
      'GITHUB_REMOTE',
      `no git remote "${remote}" here (github.remote in .factory/config.yaml); add it with: git remote add ${remote} <url>`,
      { file: '.factory/config.yaml', field: 'github.remote' },
    );
  return r.stdout.trim();
}

/** The commit a branch points at, or undefined when there is no such branch. */
export async function branchHead(root: string, branch: string): Promise<string | undefined> {
  const r = await runGit(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`], { cwd: root, allowExitCodes: [1, 128] });
  return r.exitCode === 0 ? r.stdout.trim() : undefined;
}

/**
 * Git configuration, as environment variables (never arguments: another user's `ps` would show
 * them), that sends the token to the web host over https only: how actions/checkout does it.
 */
export function tokenGitEnv(env: Record<string, string | undefined>, webBase: string, token: string): Record<string, string> {
  const n = Number(env.GIT_CONFIG_COUNT ?? '0') || 0;
  return {
    GIT_CONFIG_COUNT: String(n + 1),
    [`GIT_CONFIG_KEY_${n}`]: `http.${webBase.replace(/\/*$/, '/')}.extraheader`,
    [`GIT_CONFIG_VALUE_${n}`]: `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`,
  };
}

/** Pushes `branch` to `remote` under the same name; a rejected push (not a fast-forward) says so. */
export async function pushBranch(root: string, remote: string, branch: string, env: Record<string, string>): Promise<void> {
  const ref = `refs/heads/${branch}`;
  const r = await runGit(['push', '--porcelain', remote, `${ref}:${ref}`], { cwd: root, env, allowExitCodes: [1, 128] });
  if (r.exitCode === 0) return;
  const why = `${r.stderr}\n${r.stdout}`
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('To ') && l !== 'Done')
    .slice(0, 3)
    .join('; ');
  throw new FactoryError(
    'GITHUB_PUSH',
    /rejected|non-fast-forward|fetch first/.test(why)
      ? `git push ${remote} ${branch} was rejected: the remote branch has commits this one lacks (${why}); fetch and bring them into ${branch}, then run factory pr again`
      : `git push ${remote} ${branch} failed: ${why || `exit ${r.exitCode}`}`,
  );
}
