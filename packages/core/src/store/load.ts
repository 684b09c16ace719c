import path from 'node:path';
import { ContractFileSchema, mergeContracts, type Contract, type ContractFile } from '../domain/contract';
import { invalid, valid, type Problem, type Validated } from '../domain/errors';
import { LANGUAGES } from '../domain/language';
import type { Stage } from '../domain/stage';
import { StatusFileSchema, TaskFileSchema, type StatusFile, type Task, type TaskFile } from '../domain/task';
import { parseWith } from '../domain/zod-problems';
import { resolvePipeline } from '../pipeline/resolve';
import { readTextIfExists } from './atomic';
import { parseYaml } from './yaml';
import { GLOBAL_FILES, taskPaths } from './paths';

export interface LoadedContract {
  contract: Contract;
  /** The resolved pipeline, every stage after what it needs. */
  pipeline: Stage[];
}

function parseContractText(text: string, file: string): Validated<ContractFile> {
  const y = parseYaml(text, file);
  if (y.errors.length) return invalid(y.errors);
  const r = parseWith(ContractFileSchema, y.data, file);
  return r.value ? valid(r.value) : invalid(r.errors);
}

/**
 * Validates and merges the global contract and a task's contract, and resolves the pipeline.
 * Pure: takes the files' texts (undefined = absent) and their display paths.
 */
export function contractFromTexts(
  texts: { global?: string; task?: string },
  files: { global: string; task: string },
): Validated<LoadedContract> {
  if (texts.task === undefined) {
    return invalid([{ file: files.task, field: '(document)', message: 'expected a contract file, got nothing (it does not exist)' }]);
  }
  const errors: Problem[] = [];
  const g = texts.global === undefined ? valid<ContractFile>({}) : parseContractText(texts.global, files.global);
  const t = parseContractText(texts.task, files.task);
  errors.push(...g.errors, ...t.errors);
  if (errors.length) return invalid(errors);
  const merged = mergeContracts(g.value as ContractFile, t.value as ContractFile);
  if (!merged.contract) {
    return invalid([
      {
        file: files.task,
        field: 'language',
        message: `expected one of ${LANGUAGES.join(', ')} (here or in ${files.global}), got nothing`,
      },
    ]);
  }
  const p = resolvePipeline(merged.contract, files.task);
  if (!p.value) return invalid(p.errors);
  return valid({ contract: merged.contract, pipeline: p.value });
}

/** Reads `.factory/contract.yaml` and `.factory/<slug>/contract.yaml` under `root`. */
export function loadContract(root: string, slug: string): Validated<LoadedContract> {
  const p = taskPaths(slug);
  return contractFromTexts(
    {
      global: readTextIfExists(path.join(root, GLOBAL_FILES.contract)),
      task: readTextIfExists(path.join(root, p.contract)),
    },
    { global: GLOBAL_FILES.contract, task: p.contract },
  );
}

function parseFile<T>(text: string | undefined, file: string, schema: Parameters<typeof parseWith>[0]): Validated<T> {
  if (text === undefined) return invalid([{ file, field: '(document)', message: 'expected a file, got nothing (it does not exist)' }]);
  const y = parseYaml(text, file);
  if (y.errors.length) return invalid(y.errors);
  const r = parseWith(schema, y.data, file);
  return r.value ? valid(r.value as T) : invalid(r.errors);
}

/** Reads a task: `task.yaml` (required) and `status.yaml` (absent: status `created`). */
export function loadTask(root: string, slug: string): Validated<Task> {
  const p = taskPaths(slug);
  const t = parseFile<TaskFile>(readTextIfExists(path.join(root, p.task)), p.task, TaskFileSchema);
  if (!t.value) return invalid(t.errors);
  if (t.value.slug !== slug) {
    return invalid([{ file: p.task, field: 'slug', message: `expected "${slug}" (the folder's name), got "${t.value.slug}"` }]);
  }
  const statusText = readTextIfExists(path.join(root, p.status));
  let status: StatusFile = { status: 'created', updated_at: t.value.created_at };
  if (statusText !== undefined) {
    const s = parseFile<StatusFile>(statusText, p.status, StatusFileSchema);
    if (!s.value) return invalid(s.errors);
    status = s.value;
  }
  const { updated_at: _u, ...rest } = status;
  return valid({ ...t.value, ...rest });
}
