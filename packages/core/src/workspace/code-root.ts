import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { FactoryError } from '../domain/errors';
import { validateSlug } from '../domain/slug';
import { runGitSync } from '../repo/git';
import { readWorkspacePointer, type WorkspacePointer } from './pointer';

/**
 * Synchronous and light on purpose (no zod, no YAML; at most one git process): the bundled
 * stage runner and the stage cache-key command call these on every stage.
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

/** The workspace task.yaml records, whether or not it is on this machine (undefined: none, or task.yaml unreadable). */
export function recordedWorkspace(root: string, slug: string): WorkspacePointer | undefined {
  try {
    const text = taskFileText(root, slug);
    return text === undefined ? undefined : readWorkspacePointer(text).pointer;
  } catch {
    return undefined;
  }
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

/** `base_commit:` of a task.yaml text (Factory writes it as a plain scalar), without a YAML parser. */
export function baseCommitOf(text: string): string | undefined {
  return /^base_commit\s*:\s*['"]?([0-9a-f]{7,64})['"]?\s*(#.*)?$/m.exec(text)?.[1];
}

/**
 * Whether the task has work in its workspace: commits beyond its base commit, or uncommitted
 * changes (ignored files aside). One `git status` (~10 ms). A jj workspace, or a git answer
 * that cannot be read, counts as having work: the workspace is then where the code is.
 */
export function workspaceHasWork(root: string, slug: string, ws: ExistingWorkspace): boolean {
  if (ws.backend !== 'git') return true;
  const base = baseCommitOf(taskFileText(root, slug) ?? '');
  if (!base) return true;
  let out: string;
  try {
    out = runGitSync(['status', '--porcelain=v2', '--branch', '--untracked-files=normal'], { cwd: ws.dir }).stdout;
  } catch {
    return true;
  }
  const head = /^# branch\.oid ([0-9a-f]+)$/m.exec(out)?.[1];
  if (!head || !head.startsWith(base)) return true;
  return out.split('\n').some((l) => l !== '' && !l.startsWith('#'));
}

/**
 * Where a task's code is: its workspace once the task has work there (see `workspaceHasWork`),
 * else the repository root. A workspace still exactly at its base commit holds nothing of the
 * task yet, so stages judge the main tree, where a person may be making the change by hand;
 * agents, change orders and TCR work in the workspace (`existingTaskWorkspace`), and from their
 * first edit there on, the stages judge the workspace.
 */
export function taskCodeRoot(root: string, slug: string): string {
  const ws = existingTaskWorkspace(root, slug);
  return ws && workspaceHasWork(root, slug, ws) ? ws.dir : root;
}
