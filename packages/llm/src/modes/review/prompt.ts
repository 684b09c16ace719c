import { renderParts, trimMiddle } from '../shared/budget';
import { describeContract, type TaskContext, type TaskDiff } from '../shared/task-context';
import { REVIEW_ANSWER_FORMAT } from './findings';

export const REVIEW_SYSTEM = `You are the code reviewer inside Factory, a system for contract-gated, human-approved code changes.
You read a task's spec, its contract and its diff, and report findings. Review only the change
shown; judge it against the spec's requirements and acceptance criteria and the contract.
Do not invent problems: a clean change has no findings.

${REVIEW_ANSWER_FORMAT}`;

/** The review request: spec, contract and the diff against the base commit, within `budget` characters. */
export function reviewPrompt(ctx: TaskContext, diff: TaskDiff, budget: number): string {
  const spec = ctx.spec ? trimMiddle(ctx.spec, Math.floor(budget * 0.25)) : '(no spec.md: judge the change by the task description)';
  return [
    `# Review of task ${ctx.slug}: ${ctx.task.title}`,
    `## Task description\n${trimMiddle(ctx.task.description || '(none)', 4_000)}`,
    `## Spec (.factory/${ctx.slug}/spec.md)\n${spec}`,
    `## Contract\n${describeContract(ctx.contract)}`,
    renderParts(`Diff against the base commit (${diff.files.length} file${diff.files.length === 1 ? '' : 's'} changed)`, {
      taken: diff.parts,
      omitted: diff.omitted,
    }),
  ].join('\n\n');
}
