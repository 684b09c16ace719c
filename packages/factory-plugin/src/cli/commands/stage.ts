import { loadContract, validateSlug, validateStageName } from '@factory/core';
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
  // A stage the task's pipeline does not have: say which it has (Nx would only say it found no such
  // target). An invalid contract is left to Nx, whose graph shows the contract's own error.
  const c = loadContract(ctx.root, s.value);
  if (c.value && !c.value.pipeline.some((p) => p.name === n.value))
    throw new UsageError(
      `factory stage: task ${s.value} has no stage "${n.value}"; its pipeline has ${c.value.pipeline.map((p) => p.name).join(', ')} ` +
        `(see .factory/${s.value}/contract.yaml and .factory/contract.yaml)`,
    );
  return runNx(ctx, ['run', `${s.value}:stage-${n.value}`, ...rest]);
}
