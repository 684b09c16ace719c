import path from 'node:path';
import {
  redactRecognisedSecrets,
  FACTORY_DIR,
  FactoryError,
  changedFiles,
  fileDiff,
  formatProblem,
  loadContract,
  loadTask,
  readTextIfExists,
  taskCodeRoot,
  taskPaths,
  type ChangedFile,
  type Contract,
  type Stage,
  type Task,
} from '@factory/core';
import { fitParts, type BudgetedPart } from './budget';

/** A task as the modes see it: its definition, contract, spec and where its code is. */
export interface TaskContext {
  slug: string;
  root: string;
  /** The task's isolated workspace when it has one, else the root. */
  codeRoot: string;
  task: Task;
  contract: Contract;
  pipeline: Stage[];
  /** `.factory/<slug>/spec.md`, when written. */
  spec?: string;
  /** What diffs are taken against: the task's base commit, or HEAD when task.yaml names none. */
  base: string;
}

/** Loads the task, its merged contract and its spec; an invalid file is an error naming it. */
export function loadTaskContext(root: string, slug: string, codeRoot: (root: string, slug: string) => string = taskCodeRoot): TaskContext {
  const paths = taskPaths(slug);
  const task = loadTask(root, slug);
  if (!task.value) throw new FactoryError('TASK', task.errors.map(formatProblem).join('\n'), { file: paths.task });
  const contract = loadContract(root, slug);
  if (!contract.value) throw new FactoryError('CONTRACT', contract.errors.map(formatProblem).join('\n'), { file: paths.contract });
  return {
    slug,
    root,
    codeRoot: codeRoot(root, slug),
    task: task.value,
    contract: contract.value.contract,
    pipeline: contract.value.pipeline,
    spec: readTextIfExists(path.join(root, paths.spec)),
    base: task.value.base_commit ?? 'HEAD',
  };
}

/** Factory's own state is never part of a task's change. */
export const isFactoryState = (file: string): boolean => file === FACTORY_DIR || file.startsWith(`${FACTORY_DIR}/`);

export interface TaskDiff {
  files: ChangedFile[];
  /** Per-file patches that fit the budget (cut where needed). */
  parts: BudgetedPart[];
  /** Files whose patch did not fit. */
  omitted: string[];
}

/** The task's change: every file changed since the base commit (Factory's state left out), its patches within `budget` characters. */
export async function readTaskDiff(ctx: TaskContext, budget: number): Promise<TaskDiff> {
  const files = (await changedFiles(ctx.codeRoot, ctx.base)).filter((f) => !isFactoryState(f.path));
  const parts: BudgetedPart[] = [];
  for (const f of files) {
    if (f.binary) parts.push({ name: f.path, text: `(binary file, ${f.status})` });
    // A secret in the change never goes to a model: what the security stage recognises is masked.
    else parts.push({ name: f.path, text: redactRecognisedSecrets(await fileDiff(ctx.codeRoot, ctx.base, f.path)) });
  }
  const fitted = fitParts(parts, budget);
  return { files, parts: fitted.taken, omitted: fitted.omitted };
}

/** The contract as the model needs to know it (one line per rule). */
export function describeContract(c: Contract): string {
  const list = (g: string[]) => (g.length ? g.map((x) => JSON.stringify(x)).join(', ') : '(none)');
  return [
    `- language: ${c.language}`,
    `- allowed_files (only these may change): ${list(c.allowed_files)}`,
    `- forbidden_files (never change these): ${list(c.forbidden_files)}`,
    `- max_lines_changed (added + removed lines, lockfiles not counted): ${c.max_lines_changed}`,
    `- new_dependencies_allowed: ${c.new_dependencies_allowed}`,
    `- required_test_coverage: ${c.required_test_coverage}%`,
    "- never change anything under .factory/ (Factory's own state)",
  ].join('\n');
}
