import type { ExecutorContext } from '@nx/devkit';
import { advanceRollout, automaticActor, isFactoryError, loadRolloutConfig } from '@factory/core';
import { parseOptions, printWarnings } from '../options';
import { RolloutExecutorSchema, type RolloutExecutorOptions } from './options';

/** `nx run <slug>:rollout`: one step after a health check, `--to`, or `--abort`. */
export default async function rolloutExecutor(raw: RolloutExecutorOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  const options = parseOptions(RolloutExecutorSchema, raw, 'rollout');
  if (!options) return { success: false };
  const slug = context.projectName as string;
  try {
    const actor = options.actor ?? (await automaticActor(context.root));
    const out = await advanceRollout(
      { root: context.root, slug, actor, config: loadRolloutConfig(context.root) },
      { to: options.to, abort: options.abort },
    );
    (out.ok ? console.log : console.error)(`factory › ${out.message}`);
    printWarnings(out.warnings);
    return { success: out.ok };
  } catch (e) {
    if (isFactoryError(e)) {
      console.error(`factory › ${e.message}`);
      return { success: false };
    }
    throw e;
  }
}
