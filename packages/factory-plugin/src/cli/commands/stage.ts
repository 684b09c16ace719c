import { validateSlug, validateStageName } from '@factory/core';
import { requireTask } from '../../surfaces/require-task';
import { runNx, UsageError, type CliContext } from '../context';

export const help = `factory stage <slug> <stage> [nx run options]

Runs one stage of a task through Nx (the same as: nx run <slug>:stage-<stage>), so it is
cached and its dependencies run first. Example: factory stage bd-52.1 unit-test`;

export async function run(ctx: CliContext, args: string[]): Promise<number> {
  const [slug, stage, ...rest] = args;
  if (!slug || !stage) throw new UsageError('factory stage: expected a slug and a stage, e.g. factory stage bd-52.1 unit-test');
  const s = validateSlug(slug);
  if (!s.ok) throw new UsageError(`factory stage: ${s.error}`);
  const n = validateStageName(stage);
  if (!n.ok) throw new UsageError(`factory stage: ${n.error}`);
  requireTask(ctx.root, s.value);
  return runNx(ctx, ['run', `${s.value}:stage-${n.value}`, ...rest]);
}
