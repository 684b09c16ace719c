import { automaticActor, closeTask, validateSlug } from '@factory/core';
import { UsageError, type CliContext } from '../context';
import { parseCommandArgs, str } from '../args';

export const help = `factory close <slug> [--reason <text>] [--actor <email>]

Closes a task that serves 100 % (deployed_to_production → done), on the record; its Beads
issue is closed with the reason when bd is on PATH. With a signing key trusted for audit, the
audit trail's heads are signed after it (as after an approval), so that removing the close from
the trail is detected by factory audit verify.`;

export async function run(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('close', args, { reason: { type: 'string' }, actor: { type: 'string' } });
  const [slug, ...extra] = positionals;
  if (!slug) throw new UsageError('factory close: expected a slug, e.g. factory close bd-52.1');
  if (extra.length) throw new UsageError(`factory close: expected one slug, got also ${extra.join(' ')}`);
  const v = validateSlug(slug);
  if (!v.ok) throw new UsageError(`factory close: ${v.error}`);
  const actor = str(values.actor) ?? (await automaticActor(ctx.root, ctx.env));
  const checkpoint = await closeTask(ctx.root, v.value, { actor, reason: str(values.reason), env: ctx.env });
  ctx.out(`${v.value}: done\n`);
  if ('warning' in checkpoint) ctx.err(`factory close: ${checkpoint.warning}\n`);
  return 0;
}
