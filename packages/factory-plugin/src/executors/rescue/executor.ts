import type { ExecutorContext } from '@nx/devkit';
import { rescueTask } from '@factory/llm';
import { failed, modeEnvironment, taskSlug } from '../mode-env';
import { RescueExecutorSchema, type RescueExecutorOptions } from './options';

/** `nx run <slug>:rescue [--apply]` */
export default async function rescueExecutor(raw: RescueExecutorOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  try {
    const options = RescueExecutorSchema.parse(raw);
    const result = await rescueTask(modeEnvironment(context), { slug: taskSlug(context), apply: options.apply });
    return { success: result.applied === undefined || result.applied.outcome === 'committed' };
  } catch (e) {
    return failed(e);
  }
}
