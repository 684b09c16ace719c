import { automaticActor, closeTask, validateSlug } from '@factory/core';
import { UsageError, type CliContext } from '../context';
import { parseCommandArgs, str } from '../args';

export const help = `factory close <slug> [--reason <text>] [--actor <email>]

Closes a task that serves 100 % (deployed_to_production → done), on the record; its Beads
issue is closed with the reason when bd is on PATH.`;

export async function run(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('close', args, { reason: { type: 'string' }, actor: { type: 'string' } });
  const [slug, ...extra] = positionals;
  if (!slug) throw new UsageError('factory close: expected a slug, e.g. factory close bd-52.1');
  if (extra.length) throw new UsageError(`factory close: expected one slug, got also ${extra.join(' ')}`);
  const v = validateSlug(slug);
  if (!v.ok) throw new UsageError(`factory close: ${v.error}`);
  const actor = str(values.actor) ?? (await automaticActor(ctx.root, ctx.env));
  await closeTask(ctx.root, v.value, { actor, reason: str(values.reason) });
  ctx.out(`${v.value}: done\n`);
  return 0;
}
