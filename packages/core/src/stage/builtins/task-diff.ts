import { realpathSync } from 'node:fs';
import path from 'node:path';
import { FactoryError, isFactoryError, unwrap } from '../../domain/errors';
import type { ChangedFile } from '../../gates/changes';
import { resolveBase } from '../../repo/commits';
import { findRepoRoot } from '../../repo/root';
import { FACTORY_DIR, taskPaths } from '../../store/paths';
import { loadContract, loadTask, type LoadedContract } from '../../store/load';
import type { EarlyChanges } from '../early-changes';

/** The commit a task's changes are measured from, and where that choice came from. */
export interface TaskBase {
  /** Full commit id. */
  sha: string;
  /** What the task says (`task.yaml` base_commit), or `HEAD` when it says nothing. */
  given: string;
  /** `.factory/<slug>/task.yaml base_commit`, or a note that HEAD was used. */
  source: string;
}

/**
 * A task's code as a git repository sees it: the repository's top directory, where the task's
 * code root is inside it (`prefix`, '' when they are the same), and the base commit.
 */
export interface TaskDiff {
  gitRoot: string;
  prefix: string;
  base: TaskBase;
}

/** Factory's own state (`.factory/…`: task files, results, workspaces) is not part of a task's change. */
export function isFactoryState(relPath: string): boolean {
  return relPath === FACTORY_DIR || relPath.startsWith(`${FACTORY_DIR}/`);
}

/** The task's contract (the one the runner already read, if given), or a ValidationError naming each problem's file and field. */
export function loadTaskContract(root: string, slug: string, known?: LoadedContract): LoadedContract {
  return known ?? unwrap(loadContract(root, slug));
}

/**
 * Finds the git repository holding `codeRoot` and resolves the task's base commit: `task.yaml`'s
 * `base_commit`, or HEAD when the task names none. A base commit that does not exist is a
 * `BASE_COMMIT` FactoryError naming `.factory/<slug>/task.yaml` and `base_commit`.
 */
export async function openTaskDiff(root: string, codeRoot: string, slug: string, early?: EarlyChanges): Promise<TaskDiff> {
  const task = unwrap(loadTask(root, slug));
  const repo = findRepoRoot(codeRoot);
  const gitRoot = realpathSync(repo.root);
  const prefix = path.relative(gitRoot, realpathSync(codeRoot)).split(path.sep).join('/');
  const file = taskPaths(slug).task;
  const given = task.base_commit ?? 'HEAD';
  let sha: string;
  try {
    // The runner's early diff resolved this same base in this same repository already.
    sha = await (early?.gitRoot === gitRoot && early.given === given ? early.sha : resolveBase(gitRoot, given));
  } catch (e) {
    // The runner's early diff may come from another bundle's copy of FactoryError.
    if (!isFactoryError(e) || e.code !== 'BASE_COMMIT') throw e;
    const message = task.base_commit
      ? `${file}: base_commit: expected a commit that exists in ${gitRoot}, got ${JSON.stringify(given)} (git rev-parse --verify finds no such commit); ` +
        'set it to the commit the task started from (e.g. the output of "git rev-parse HEAD" then), or fetch that commit into this clone'
      : `${file}: base_commit: expected a commit to compare the task's changes with, got nothing, and HEAD names no commit in ${gitRoot}; commit once, or set base_commit`;
    throw new FactoryError('BASE_COMMIT', message, { file, field: 'base_commit', cause: e });
  }
  const source = task.base_commit ? `${file} base_commit` : `HEAD, because ${file} sets no base_commit`;
  return { gitRoot, prefix, base: { sha, given, source } };
}

/**
 * Maps a path relative to the repository's top directory to one relative to the task's code
 * root; undefined for paths outside the code root and for Factory's own state.
 */
export function taskPath(diff: TaskDiff, repoPath: string): string | undefined {
  let p = repoPath;
  if (diff.prefix !== '') {
    if (!p.startsWith(`${diff.prefix}/`)) return undefined;
    p = p.slice(diff.prefix.length + 1);
  }
  return isFactoryState(p) ? undefined : p;
}

/** The changes that belong to the task: inside its code root, outside `.factory/`, paths made relative to the code root. */
export function taskChanges(diff: TaskDiff, changes: readonly ChangedFile[]): ChangedFile[] {
  const out: ChangedFile[] = [];
  for (const c of changes) {
    if (diff.prefix === '' && !isFactoryState(c.path) && (c.oldPath === undefined || !isFactoryState(c.oldPath))) {
      out.push(c); // the common case: nothing to map
      continue;
    }
    const p = taskPath(diff, c.path);
    const old = c.oldPath === undefined ? undefined : taskPath(diff, c.oldPath);
    if (p === undefined && old === undefined) continue;
    if (p === undefined) {
      // Moved out of the code root (or into .factory/): what the task did is delete the old path.
      out.push({ path: old as string, status: 'deleted', added: 0, removed: c.removed, binary: c.binary });
      continue;
    }
    const { oldPath: _o, ...rest } = c;
    out.push(
      old === undefined
        ? { ...rest, path: p, ...(c.status === 'renamed' ? { status: 'added' as const } : {}) }
        : { ...rest, path: p, oldPath: old },
    );
  }
  return out;
}
