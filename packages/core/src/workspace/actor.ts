import os from 'node:os';
import { runGit } from '../repo/git';

/**
 * Who does something, for the audit trail: the given actor, else git's `user.email` in the
 * repository, else the login name.
 */
export async function resolveActor(root: string, given?: string): Promise<string> {
  if (given && given.trim()) return given.trim();
  try {
    const r = await runGit(['config', '--get', 'user.email'], { cwd: root, allowExitCodes: [1] });
    const email = r.stdout.trim();
    if (r.exitCode === 0 && email) return email;
  } catch {
    // No git here: fall through to the login name.
  }
  try {
    return os.userInfo().username || 'unknown';
  } catch {
    return process.env.USER ?? 'unknown';
  }
}
