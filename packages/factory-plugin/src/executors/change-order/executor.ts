import type { ExecutorContext } from '@nx/devkit';
import { runChangeOrder } from '@factory/llm';
import { failed, modeEnvironment, taskSlug } from '../mode-env';
import { ChangeOrderExecutorSchema, type ChangeOrderExecutorOptions } from './options';

/** `nx run <slug>:change-order --instruction "…"` */
export default async function changeOrderExecutor(
  raw: ChangeOrderExecutorOptions,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  try {
    const options = ChangeOrderExecutorSchema.parse(raw);
    const result = await runChangeOrder(modeEnvironment(context), {
      slug: taskSlug(context),
      instruction: options.instruction,
      maxAttempts: options.maxAttempts,
    });
    return { success: result.outcome === 'committed' };
  } catch (e) {
    return failed(e);
  }
}
