import type { ExecutorContext } from '@nx/devkit';
import { TCR_EXIT_CODES, outcomeOk, runTcrCycle, watchTcr, type TcrOutcome } from '@factory/core';
import { TcrExecutorSchema, type TcrExecutorOptions } from './options';

const write = (t: string) => void process.stdout.write(t);

/** The outcome's last line: Nx only passes success or failure on, so the exit code is named here. */
export function outcomeLine(o: TcrOutcome): string {
  return `factory › ${o.slug} › tcr: ${o.result} (factory tcr run exits ${TCR_EXIT_CODES[o.result]} for this)\n`;
}

/** `nx run <slug>:tcr`: parses the options, runs one cycle (or watches), reports success. */
export default async function tcrExecutor(raw: TcrExecutorOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  const parsed = TcrExecutorSchema.safeParse(raw);
  if (!parsed.success) {
    process.stderr.write(`factory tcr: ${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n')}\n`);
    return { success: false };
  }
  const o = parsed.data;
  const slug = context.projectName;
  if (!slug) {
    process.stderr.write('factory tcr: run it on a task project: nx run <slug>:tcr\n');
    return { success: false };
  }
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const req = {
      root: context.root,
      slug,
      actor: o.actor,
      stages: o.stages,
      variant: o.variant,
      message: o.message,
      waitMs: (o.wait ?? 0) * 1000,
      out: write,
      signal: ac.signal,
    };
    const outcome = o.watch ? await watchTcr({ ...req, debounceMs: o.debounceMs, maxAttempts: o.maxAttempts }) : await runTcrCycle(req);
    write(outcomeLine(outcome));
    return { success: outcomeOk(outcome) };
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
  }
}
