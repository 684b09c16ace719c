import { userInfo } from 'node:os';
import { runGit } from '../repo/git';

/** git's `user.email` in `cwd`, or undefined when none is set (or git cannot run there). */
export async function gitUserEmail(cwd: string, env?: Record<string, string | undefined>): Promise<string | undefined> {
  const gitEnv =
    env &&
    Object.fromEntries(
      Object.entries(env).filter(
        (e): e is [string, string] => typeof e[1] === 'string' && /^(HOME|XDG_CONFIG_HOME|GIT_CONFIG_\w+)$/.test(e[0]),
      ),
    );
  try {
    const r = await runGit(['config', '--get', 'user.email'], { cwd, allowExitCodes: [1], env: gitEnv });
    return r.stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Who an automatic event (a stage run, a status change) is recorded as: FACTORY_ACTOR, else
 * git's user.email, else the operating-system user. A human approval needs more: see
 * `resolveApprover`.
 */
export async function automaticActor(cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return env.FACTORY_ACTOR?.trim() || actorWithEmail(await gitUserEmail(cwd), env);
}

/** `automaticActor` for a caller that looked git's user.email up itself (the stage runner's one git process). */
export function actorWithEmail(email: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (env.FACTORY_ACTOR?.trim()) return env.FACTORY_ACTOR.trim();
  if (email?.trim()) return email.trim();
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
