import { automaticActor, closeTask, validateSlug } from '@factory/core';
import { UsageError, type CliContext } from '../context';
import { optionValue } from '../format';

export const help = `factory close <slug> [--reason <text>] [--actor <email>]

Closes a task that serves 100 % (deployed_to_production → done), on the record; its Beads
issue is closed with the reason when bd is on PATH.`;

export async function run(ctx: CliContext, args: string[]): Promise<number> {
  const slug = args.find((a, i) => !a.startsWith('-') && !['--reason', '--actor'].includes(args[i - 1] ?? ''));
  if (!slug) throw new UsageError('factory close: expected a slug, e.g. factory close bd-52.1');
  const v = validateSlug(slug);
  if (!v.ok) throw new UsageError(`factory close: ${v.error}`);
  const actor = optionValue(args, '--actor') ?? (await automaticActor(ctx.root, ctx.env));
  await closeTask(ctx.root, v.value, { actor, reason: optionValue(args, '--reason') });
  ctx.out(`${v.value}: done\n`);
  return 0;
}
