import path from 'node:path';
import { FactoryError, ValidationError } from '../domain/errors';
import { TaskFileSchema, type TaskWorkspace } from '../domain/task';
import { parseWith } from '../domain/zod-problems';
import { readDocumentIfExists, writeFileAtomicSync } from '../store/atomic';
import { taskPaths } from '../store/paths';
import { parseYamlDocument, YAML_LIMITS } from '../store/yaml';

/**
 * Records (or, with `null`, removes) the task's workspace in `.factory/<slug>/task.yaml`, and its
 * base commit when it has none. Comments and the order of the other fields are kept; the
 * result is validated before it replaces the file, atomically.
 */
export function recordTaskWorkspace(root: string, slug: string, change: { workspace: TaskWorkspace | null; baseCommit?: string }): void {
  const file = taskPaths(slug).task;
  const full = path.join(root, file);
  const text = readDocumentIfExists(full, file);
  if (text === undefined)
    throw new FactoryError('TASK', `${file}: (document): expected the task's file, got nothing (it does not exist)`, { file });
  const { doc, errors } = parseYamlDocument(text, file);
  if (!doc) throw new ValidationError(errors);
  if (change.workspace === null) doc.delete('workspace');
  else doc.set('workspace', doc.createNode(JSON.parse(JSON.stringify(change.workspace))));
  if (change.baseCommit && !doc.has('base_commit')) doc.set('base_commit', change.baseCommit);
  const checked = parseWith(TaskFileSchema, doc.toJS({ maxAliasCount: YAML_LIMITS.aliasCount }), file);
  if (!checked.value) throw new ValidationError(checked.errors);
  writeFileAtomicSync(full, doc.toString({ lineWidth: 0 }));
}
