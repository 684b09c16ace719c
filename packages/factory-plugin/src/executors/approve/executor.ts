import { createInterface } from 'node:readline/promises';
import type { ExecutorContext } from '@nx/devkit';
import { approveTask, isFactoryError } from '@factory/core';
import { publishAfterApproval } from '../../surfaces/github/after-approval';
import { parseOptions, printWarnings } from '../options';
import { ApproveExecutorSchema, type ApproveExecutorOptions } from './options';

/** Asks on the terminal; undefined when there is none (approval then needs --yes). */
function terminalConfirm(): ((question: string) => Promise<boolean>) | undefined {
  if (!process.stdin.isTTY || !process.stdout.isTTY) return undefined;
  return async (question) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    try {
      return /^y(es)?$/i.test((await rl.question(question)).trim());
    } finally {
      rl.close();
    }
  };
}

/** `nx run <slug>:approve`: parse the options, call core, report. */
export default async function approveExecutor(raw: ApproveExecutorOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  const options = parseOptions(ApproveExecutorSchema, raw, 'approve');
  if (!options) return { success: false };
  const slug = context.projectName as string;
  try {
    const out = await approveTask(context.root, slug, { ...options, env: process.env, confirm: terminalConfirm() });
    console.log(`factory › ${out.message}`);
    printWarnings(out.rollout?.warnings ?? []);
    // With github.pull_request_on_approval: the pull request and its check runs (never undoes the approval).
    const published = await publishAfterApproval(context.root, slug, process.env);
    for (const line of published.lines) console.log(`factory › ${line}`);
    printWarnings(published.warnings);
    return { success: true };
  } catch (e) {
    if (isFactoryError(e)) {
      console.error(`factory › ${e.message}`);
      return { success: false };
    }
    throw e;
  }
}
