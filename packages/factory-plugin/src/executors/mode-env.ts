import os from 'node:os';
import type { ExecutorContext } from '@nx/devkit';
import { FactoryError, validateSlug } from '@factory/core';
import type { ModeEnvironment } from '@factory/llm';

/** Who runs the command, for the audit trail. */
export function actorName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** The environment a mode runs in under Nx: the workspace root, the process's environment (read only), the terminal. */
export function modeEnvironment(context: ExecutorContext): ModeEnvironment {
  return { root: context.root, env: process.env, actor: actorName(), out: (t) => void process.stdout.write(t) };
}

/** The task an executor runs for: its Nx project, which is named by the task's slug. */
export function taskSlug(context: ExecutorContext): string {
  const name = context.projectName ?? '';
  const v = validateSlug(name);
  if (!v.ok) throw new FactoryError('SLUG', `expected to run on a Factory task project, got "${name}": ${v.error}`);
  return v.value;
}

/** Prints an error the way the CLI does and turns it into Nx's `{ success: false }`. */
export function failed(e: unknown): { success: false } {
  const message = e instanceof Error ? e.message : String(e);
  process.stderr.write(`factory: ${message}\n`);
  return { success: false };
}
