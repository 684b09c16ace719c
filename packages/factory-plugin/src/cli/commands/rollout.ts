import { validateSlug } from '@factory/core';
import { runNx, UsageError, type CliContext } from '../context';

export const help = `factory rollout <slug> [--to <percent>] [--abort] [--actor <email>]

Moves an approved task's rollout (the same as: nx run <slug>:rollout ...): the next step after
a health check, --to a percentage (a manual promote), or --abort back to 0 %.`;

export async function run(ctx: CliContext, args: string[]): Promise<number> {
  const [slug, ...rest] = args;
  if (!slug || slug.startsWith('-')) throw new UsageError('factory rollout: expected a slug, e.g. factory rollout bd-52.1');
  const v = validateSlug(slug);
  if (!v.ok) throw new UsageError(`factory rollout: ${v.error}`);
  return runNx(ctx, ['run', `${v.value}:rollout`, ...rest]);
}
