import path from 'node:path';
import { ContractFileSchema, mergeContracts, type Contract, type ContractFile } from '../domain/contract';
import { invalid, valid, type Problem, type Validated } from '../domain/errors';
import { LANGUAGES } from '../domain/language';
import { StatusFileSchema, TaskFileSchema, type StatusFile, type Task, type TaskFile } from '../domain/task';
import { parseWith } from '../domain/zod-problems';
import { ProjectFiles, type FileReader } from '../detect/fs';
import { planContract, type LoadedContract } from '../pipeline/plan';
import { readDocumentIfExists } from './atomic';
import { parseYaml } from './yaml';
import { deriveStatus, type ResultState } from '../lifecycle/derived-status';
import { readStageResult } from './results';
import { GLOBAL_FILES, taskPaths } from './paths';

export type { LoadedContract };

function parseContractText(text: string, file: string): Validated<ContractFile> {
  const y = parseYaml(text, file);
  if (y.errors.length) return invalid(y.errors);
  const r = parseWith(ContractFileSchema, y.data, file);
  return r.value ? valid(r.value) : invalid(r.errors);
}

/**
 * Validates and merges the global contract and a task's contract (YAML, zod). Pure: takes the
 * files' texts (undefined = absent) and their display paths. `planContract` then plans it.
 */
export function parseContractTexts(
  texts: { global?: string; task?: string },
  files: { global: string; task: string },
): Validated<Contract> {
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
  return valid(merged.contract);
}

/** Validates a task's contract texts and plans it for the project under `root` (see pipeline/plan.ts). */
export function contractFromTexts(
  root: string,
  texts: { global?: string; task?: string },
  files: { global: string; task: string },
  reader?: FileReader,
): Validated<LoadedContract> {
  const c = parseContractTexts(texts, files);
  return c.value ? planContract(root, c.value, files.task, reader && new ProjectFiles(root, reader)) : invalid(c.errors);
}

/**
 * Reads `.factory/contract.yaml` and `.factory/<slug>/contract.yaml` under `root`; detection
 * reads the project's files through `reader` (default: the disk).
 */
export function loadContract(root: string, slug: string, reader?: FileReader): Validated<LoadedContract> {
  const p = taskPaths(slug);
  return contractFromTexts(
    root,
    {
      global: readDocumentIfExists(path.join(root, GLOBAL_FILES.contract), GLOBAL_FILES.contract),
      task: readDocumentIfExists(path.join(root, p.contract), p.contract),
    },
    { global: GLOBAL_FILES.contract, task: p.contract },
    reader,
  );
}

function parseFile<T>(text: string | undefined, file: string, schema: Parameters<typeof parseWith>[0]): Validated<T> {
  if (text === undefined) return invalid([{ file, field: '(document)', message: 'expected a file, got nothing (it does not exist)' }]);
  const y = parseYaml(text, file);
  if (y.errors.length) return invalid(y.errors);
  const r = parseWith(schema, y.data, file);
  return r.value ? valid(r.value as T) : invalid(r.errors);
}

/**
 * Reads a task: `task.yaml` (required), and its status: what `status.yaml` records (absent:
 * `created`) for decided statuses, else what its latest stage results say (see
 * lifecycle/derived-status.ts). `loadRecordedTask` gives the record alone.
 */
export function loadTask(root: string, slug: string, reader?: FileReader): Validated<Task> {
  const t = loadRecordedTask(root, slug);
  if (!t.value) return t;
  const c = loadContract(root, slug, reader);
  if (!c.value) return t;
  const required = c.value.pipeline.filter((s) => s.required_success).map((s) => s.name);
  const results = new Map<string, ResultState>();
  for (const name of required) {
    const r = readStageResult(root, slug, name).result;
    if (r) results.set(name, { status: r.status, advisory: r.advisory, summary: r.summary });
  }
  const { status, reason } = deriveStatus({ status: t.value.status, reason: t.value.reason }, results, required);
  const { reason: _r, ...rest } = t.value;
  return valid({ ...rest, status, ...(reason ? { reason } : {}) });
}

/** A task as its files record it: `task.yaml` and `status.yaml` (absent: status `created`). */
export function loadRecordedTask(root: string, slug: string): Validated<Task> {
  const p = taskPaths(slug);
  const t = parseFile<TaskFile>(readDocumentIfExists(path.join(root, p.task), p.task), p.task, TaskFileSchema);
  if (!t.value) return invalid(t.errors);
  if (t.value.slug !== slug) {
    return invalid([{ file: p.task, field: 'slug', message: `expected "${slug}" (the folder's name), got "${t.value.slug}"` }]);
  }
  const statusText = readDocumentIfExists(path.join(root, p.status), p.status);
  let status: StatusFile = { status: 'created', updated_at: t.value.created_at };
  if (statusText !== undefined) {
    const s = parseFile<StatusFile>(statusText, p.status, StatusFileSchema);
    if (!s.value) return invalid(s.errors);
    status = s.value;
  }
  const { updated_at: _u, ...rest } = status;
  return valid({ ...t.value, ...rest });
}
