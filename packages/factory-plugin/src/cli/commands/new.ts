import { validateSlug } from '@factory/core';
import { runNx, UsageError, type CliContext } from '../context';

export const help = `factory new <slug> [generator options]

Creates a task (the same as: nx g factory:task <slug> ...). Options are passed to the
generator, e.g. --directory=packages/app --allowed-files="packages/app/**" --dry-run.
See: nx g factory:task --help`;

export async function run(ctx: CliContext, args: string[]): Promise<number> {
  const [slug, ...rest] = args;
  if (!slug || slug.startsWith('-')) throw new UsageError('factory new: expected a slug, e.g. factory new bd-52.1');
  const v = validateSlug(slug);
  if (!v.ok) throw new UsageError(`factory new: ${v.error}`);
  return runNx(ctx, ['g', 'factory:task', v.value, ...rest]);
}
