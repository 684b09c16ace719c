import { lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { compileGlobs, runGit } from '@factory/core';
import { fitParts, renderParts, trimHead, trimMiddle, type BudgetedPart } from '../shared/budget';
import { describeContract, isFactoryState, type TaskContext, type TaskDiff } from '../shared/task-context';
import { ANSWER_FORMAT } from './edits';

export const CHANGE_ORDER_SYSTEM = `You are the implementer inside Factory, a system for contract-gated, human-approved code changes.
You change code only by answering with edits. Factory checks every edit against the task's contract
before anything touches the disk, applies the accepted edits, and then runs the task's tests:
passing edits are committed, failing ones are reverted and you are told why.
Keep the change small and inside the contract. Never touch files outside allowed_files, never add a
dependency unless the contract allows it, never write secrets, and never touch .factory/ or .git/.

${ANSWER_FORMAT}`;

/** Shares of the prompt budget. */
const SHARES = { spec: 0.15, diff: 0.2, failure: 0.1 } as const;
const MAX_FILE_CANDIDATES = 2_000;
/** A file larger than this is only named: cut to a prompt's budget, so little of it would be shown. */
const MAX_READ_BYTES = 2 * 1024 * 1024;

/** Files the task may change that exist in the code root (tracked or untracked, not ignored). */
export async function allowedFilesOnDisk(ctx: TaskContext): Promise<string[]> {
  const { stdout } = await runGit(['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ctx.codeRoot });
  const allowed = compileGlobs(ctx.contract.allowed_files);
  const forbidden = compileGlobs(ctx.contract.forbidden_files);
  return [...new Set(stdout.split('\0'))]
    .filter((f) => f && allowed(f) && !forbidden(f) && !isFactoryState(f))
    .slice(0, MAX_FILE_CANDIDATES);
}

/**
 * The files worth showing, most relevant first: those the instruction or spec names, then those
 * the task already changed, then the smallest of the rest. Read within `budget` characters.
 */
export function selectFiles(ctx: TaskContext, candidates: string[], mentionedIn: string, changed: string[], budget: number) {
  const rank = (f: string) =>
    mentionedIn.includes(f) ? 0 : mentionedIn.includes(path.posix.basename(f)) ? 1 : changed.includes(f) ? 2 : 3;
  // lstat: a symlink is never followed into the prompt (it may point outside the workspace).
  const size = (f: string) => {
    try {
      const st = lstatSync(path.join(ctx.codeRoot, f));
      return st.isFile() ? st.size : Number.MAX_SAFE_INTEGER;
    } catch {
      return Number.MAX_SAFE_INTEGER;
    }
  };
  const ordered = candidates
    .map((f) => ({ f, r: rank(f), s: size(f) }))
    .filter((x) => x.s !== Number.MAX_SAFE_INTEGER)
    .sort((a, b) => a.r - b.r || a.s - b.s || (a.f < b.f ? -1 : 1));
  // Files are read only while the budget lasts; the rest are only named.
  const parts: BudgetedPart[] = [];
  const omitted: string[] = [];
  let left = budget;
  for (const { f, s } of ordered) {
    if (left <= 0 || s > MAX_READ_BYTES) {
      omitted.push(f);
      continue;
    }
    const bytes = readFileSync(path.join(ctx.codeRoot, f));
    if (bytes.includes(0)) continue;
    parts.push({ name: f, text: bytes.toString('utf8') });
    left -= bytes.length + f.length + 16;
  }
  const fitted = fitParts(parts, budget);
  return { taken: fitted.taken, omitted: [...fitted.omitted, ...omitted] };
}

export interface ChangeOrderPromptInput {
  ctx: TaskContext;
  instruction: string;
  files: string[];
  diff: TaskDiff;
  budget: number;
}

/** The first message of a change order: instruction, spec, contract, files and the change so far, within the budget. */
export function changeOrderPrompt(input: ChangeOrderPromptInput): string {
  const { ctx, budget } = input;
  const spec = ctx.spec ? trimMiddle(ctx.spec, Math.floor(budget * SHARES.spec)) : '(no spec.md written)';
  const diffBudget = Math.floor(budget * SHARES.diff);
  const diff = input.diff.files.length
    ? renderParts("The task's change so far (diff against its base commit)", {
        taken: fitParts(input.diff.parts, diffBudget).taken,
        omitted: input.diff.omitted,
      })
    : "## The task's change so far\n(nothing changed yet)";
  const fixed = [
    `# Change order for task ${ctx.slug}: ${ctx.task.title}`,
    `## Instruction\n${trimMiddle(input.instruction, 8_000)}`,
    `## Spec (.factory/${ctx.slug}/spec.md)\n${spec}`,
    `## Contract\n${describeContract(ctx.contract)}`,
    diff,
  ].join('\n\n');
  const filesBudget = Math.max(0, budget - fixed.length - Math.floor(budget * SHARES.failure));
  const mentioned = `${input.instruction}\n${ctx.spec ?? ''}`;
  const fitted = selectFiles(
    ctx,
    input.files,
    mentioned,
    input.diff.files.map((f) => f.path),
    filesBudget,
  );
  return `${fixed}\n\n${renderParts('Files you may change (current content)', fitted)}`;
}

/** What goes back to the model after a failed attempt: the root cause and the end of the log, within the budget. */
export function failurePrompt(attempt: number, summary: string, log: string | undefined, budget: number, reverted: boolean): string {
  const what = reverted ? 'Your edits were applied, tested and REVERTED' : 'Your edits were REFUSED and nothing was written';
  const tail = log ? `\n\nEnd of the failing output:\n${trimHead(log, Math.floor(budget * SHARES.failure))}` : '';
  return `Attempt ${attempt} failed. ${what}.\nRoot cause:\n${trimMiddle(summary, 4_000)}${tail}\n\nAnswer again with the complete set of edits, starting from the files as they are now.`;
}
