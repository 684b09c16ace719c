import { validateSlug } from '@factory/core';
import { runNx, UsageError, type CliContext } from '../context';

export const help = `factory approve <slug> [--strategy immediate|gradual|canary] [--actor <email>] [--yes]

Approves a task and starts its rollout (the same as: nx run <slug>:approve ...). Manual only:
refused when CI is set, when a required stage (or the contract or coverage gate) has no
passing result, or when a result is older than the last change to the task's code. Asks for
confirmation unless --yes. The actor defaults to git's user.email.`;

export async function run(ctx: CliContext, args: string[]): Promise<number> {
  const [slug, ...rest] = args;
  if (!slug || slug.startsWith('-'))
    throw new UsageError('factory approve: expected a slug, e.g. factory approve bd-52.1 --strategy gradual');
  const v = validateSlug(slug);
  if (!v.ok) throw new UsageError(`factory approve: ${v.error}`);
  return runNx(ctx, ['run', `${v.value}:approve`, ...rest]);
}
