import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { FactoryError } from '../domain/errors';
import { validateSlug } from '../domain/slug';
import { readWorkspacePointer, type WorkspacePointer } from './pointer';

/**
 * Synchronous and light on purpose (no zod, no YAML, no process): the bundled stage runner and
 * the stage cache-key command call these on every stage.
 */

export interface ExistingWorkspace extends WorkspacePointer {
  /** Absolute path of the workspace's directory. */
  dir: string;
}

function taskFileText(root: string, slug: string): string | undefined {
  const v = validateSlug(slug);
  if (!v.ok) throw new FactoryError('SLUG', v.error, { field: 'slug' });
  try {
    return readFileSync(path.join(root, '.factory', slug, 'task.yaml'), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** A git worktree has a `.git` file (or directory); a jj workspace a `.jj` directory. */
function looksLikeWorkspace(dir: string, backend: WorkspacePointer['backend']): boolean {
  return statSync(path.join(dir, backend === 'jj' ? '.jj' : '.git'), { throwIfNoEntry: false }) !== undefined;
}

/**
 * The task's workspace as recorded in `.factory/<slug>/task.yaml`, when its directory exists
 * on this machine. Undefined when the task has none, or when it was recorded elsewhere (a CI
 * clone of the repository has the record but not the ignored workspace directory).
 */
export function existingTaskWorkspace(root: string, slug: string): ExistingWorkspace | undefined {
  const text = taskFileText(root, slug);
  if (text === undefined) return undefined;
  const file = `.factory/${slug}/task.yaml`;
  const r = readWorkspacePointer(text, file);
  if (r.error) throw new FactoryError('TASK', r.error, { file, field: 'workspace' });
  if (!r.pointer) return undefined;
  const dir = path.resolve(root, r.pointer.path);
  return looksLikeWorkspace(dir, r.pointer.backend) ? { ...r.pointer, dir } : undefined;
}

/** Where a task's code is: its isolated workspace when it has one here, else the repository root. */
export function taskCodeRoot(root: string, slug: string): string {
  return existingTaskWorkspace(root, slug)?.dir ?? root;
}
