import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { recordActivity } from '../audit/activity';
import { FactoryError, formatProblem } from '../domain/errors';
import { validateSlug } from '../domain/slug';
import type { TaskWorkspace } from '../domain/task';
import { setTaskStatus } from '../lifecycle/status';
import { acquireTaskLock } from '../lock/run-lock';
import { currentCommit, resolveBase } from '../repo/commits';
import { runGit } from '../repo/git';
import { loadTask } from '../store/load';
import { resolveActor } from './actor';
import type { BackendKind, ChangedPath, SavedAttempt, WorkspaceBackend, WorkspaceRef } from './backend';
import { existingTaskWorkspace, type ExistingWorkspace } from './code-root';
import type { CommandRunner } from './command-runner';
import { backendFor, chooseBackend } from './select-backend';
import { readFactoryConfig } from './settings';
import { recordTaskWorkspace } from './task-file';
import { copyGeneratedVersionFiles } from './generated-files';
import { linkInstalledDependencies } from './installed-deps';

/**
 * A task's workspace as the rest of Factory sees it: made from the task's base commit, recorded
 * in its task.yaml, audited, and guarded by the task's run lock (so that no stage or TCR run
 * works in it while it is made, restored or deleted).
 */

export interface WorkspaceOpOptions {
  /** Who acts, for the audit trail (default: git's user.email). */
  actor?: string;
  /** Runs jj (tests inject one); git always runs for real. */
  runner?: CommandRunner;
  /** How long to wait for a busy task (default: fail at once). */
  waitMs?: number;
}

export interface TaskWorkspaceInfo extends WorkspaceRef {
  backend: BackendKind;
  /** Relative to the repository root (forward slashes), as recorded in task.yaml. */
  path: string;
  base: string;
  branch?: string;
  name?: string;
  /** False when the task already had this workspace. */
  created: boolean;
}

const rel = (root: string, dir: string) => path.relative(root, dir).split(path.sep).join('/') || '.';

function taskOrThrow(root: string, slug: string) {
  const t = loadTask(root, slug);
  if (!t.value) throw new FactoryError('TASK', t.errors.map(formatProblem).join('\n'), { file: `.factory/${slug}/task.yaml` });
  return t.value;
}

/** The backend that keeps an existing workspace. */
export function backendOf(root: string, ws: Pick<ExistingWorkspace, 'backend'>, runner?: CommandRunner): WorkspaceBackend {
  return backendFor(ws.backend, root, runner);
}

/** The task's workspace here, or a `NO_WORKSPACE` error saying how to make one. */
export function requireTaskWorkspace(root: string, slug: string): ExistingWorkspace {
  const ws = existingTaskWorkspace(root, slug);
  if (!ws) {
    throw new FactoryError('NO_WORKSPACE', `task ${slug} has no workspace here; create one with: factory workspace create ${slug}`, {
      file: `.factory/${slug}/task.yaml`,
      field: 'workspace',
    });
  }
  return ws;
}

async function ensureIgnored(root: string, dir: string): Promise<void> {
  const r = rel(root, dir);
  if (r.startsWith('..')) return;
  const ignored = await runGit(['check-ignore', '--quiet', '--', r], { cwd: root, allowExitCodes: [1] });
  if (ignored.exitCode !== 0) {
    const parent = path.posix.dirname(r);
    throw new FactoryError(
      'CONFIG',
      `the workspace directory ${r} is inside the repository but not ignored by git, so git and Nx would see the workspace's files as part of the main tree; ` +
        `add "${parent}/" to .gitignore (nx g factory:init adds the default .factory/workspaces/)`,
      { file: '.factory/config.yaml', field: 'workspace.directory' },
    );
  }
}

/**
 * Creates the task's workspace from its base commit (task.yaml `base_commit`, else the current
 * commit), records it in task.yaml, audits `workspace_created` and moves the task from
 * `created` to `ready`. A task that already has its workspace gets it back unchanged.
 */
export async function createTaskWorkspace(root: string, slug: string, o: WorkspaceOpOptions = {}): Promise<TaskWorkspaceInfo> {
  const task = taskOrThrow(root, slug);
  const existing = existingTaskWorkspace(root, slug);
  if (existing) {
    return {
      slug,
      dir: existing.dir,
      backend: existing.backend,
      path: existing.path,
      base: task.base_commit ?? '',
      branch: task.workspace?.branch,
      name: task.workspace?.name,
      created: false,
    };
  }
  const config = readFactoryConfig(root);
  const kind = chooseBackend(root, config.workspace.backend);
  if (kind === 'none') {
    throw new FactoryError(
      'CONFIG',
      `workspace.backend is "none" in .factory/config.yaml, so tasks get no workspace; set it to auto, git or jj`,
      {
        file: '.factory/config.yaml',
        field: 'workspace.backend',
      },
    );
  }
  const dir = path.resolve(root, config.workspace.directory, slug);
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new FactoryError(
      'WORKSPACE_EXISTS',
      `${rel(root, dir)} already exists and is not empty; move it away, or set workspace.directory in .factory/config.yaml`,
      {
        field: 'workspace.directory',
      },
    );
  }
  const actor = await resolveActor(root, o.actor);
  const lock = await acquireTaskLock(root, slug, { kind: 'workspace', command: `create the workspace of ${slug}`, waitMs: o.waitMs });
  try {
    if (kind === 'git') await ensureIgnored(root, dir);
    const base = task.base_commit ? await resolveBase(root, task.base_commit) : await currentCommit(root);
    mkdirSync(path.dirname(dir), { recursive: true });
    const backend = backendFor(kind, root, o.runner);
    const made = await backend.create({ slug, dir, base });
    // jj workspaces are not linked: jj's ignore rules for a symlink were never checked against a real jj.
    const linked = kind === 'git' ? await linkInstalledDependencies(root, dir) : [];
    const copied = kind === 'git' ? await copyGeneratedVersionFiles(root, dir) : [];
    const record: TaskWorkspace = {
      backend: kind,
      path: rel(root, dir),
      ...(made.branch ? { branch: made.branch } : {}),
      ...(made.name ? { name: made.name } : {}),
      created_at: new Date().toISOString(),
    };
    recordTaskWorkspace(root, slug, { workspace: record, baseCommit: made.base });
    recordActivity(root, {
      task: slug,
      actor,
      action: 'workspace_created',
      outcome: 'success',
      details: {
        backend: kind,
        path: record.path,
        base: made.base,
        ...(made.branch ? { branch: made.branch } : {}),
        ...(made.name ? { name: made.name } : {}),
        reused: made.reused,
        ...(linked.length ? { linked } : {}),
        ...(copied.length ? { copied } : {}),
      },
    });
    if (task.status === 'created') await setTaskStatus(root, slug, 'ready', { actor, reason: 'workspace created' });
    return { slug, dir, backend: kind, path: record.path, base: made.base, branch: made.branch, name: made.name, created: true };
  } finally {
    await lock.release();
  }
}

export interface DeleteResult {
  /** Uncommitted work saved before a forced delete. */
  saved?: SavedAttempt;
  /** Commits of the task on no other branch: kept on its branch. */
  unmerged: number;
  branch?: string;
}

function listFiles(files: ChangedPath[]): string {
  const shown = files.slice(0, 8).map((f) => `${f.path} (${f.kind})`);
  return `${shown.join(', ')}${files.length > 8 ? `, and ${files.length - 8} more` : ''}`;
}

/**
 * Deletes the task's workspace. Refused while it holds uncommitted changes or commits that are
 * on no other branch, unless `force`: then uncommitted work is first saved under
 * `refs/factory/<slug>/deleted/<n>`. The task's branch and commits are never deleted.
 */
export async function deleteTaskWorkspace(
  root: string,
  slug: string,
  o: WorkspaceOpOptions & { force?: boolean } = {},
): Promise<DeleteResult> {
  const ws = requireTaskWorkspace(root, slug);
  const actor = await resolveActor(root, o.actor);
  const lock = await acquireTaskLock(root, slug, { kind: 'workspace', command: `delete the workspace of ${slug}`, waitMs: o.waitMs });
  try {
    const backend = backendOf(root, ws, o.runner);
    const ref: WorkspaceRef = { slug, dir: ws.dir };
    const state = await backend.state(ref);
    const branch = backend.kind === 'git' ? `factory/${slug}` : undefined;
    if (!o.force && state.uncommitted.length) {
      throw new FactoryError(
        'WORKSPACE_DIRTY',
        `refusing to delete the workspace of ${slug} (${ws.path}): it has ${state.uncommitted.length} uncommitted change(s): ${listFiles(state.uncommitted)}. ` +
          `Commit them (nx run ${slug}:tcr), or delete with --force (they are saved under refs/factory/${slug}/deleted/ first)`,
      );
    }
    if (!o.force && state.unmerged > 0) {
      throw new FactoryError(
        'WORKSPACE_UNMERGED',
        `refusing to delete the workspace of ${slug} (${ws.path}): ${state.unmerged} commit(s) on ${branch ?? 'its line of work'} are on no other branch. ` +
          `Merge them, or delete with --force (the branch and its commits are kept either way)`,
      );
    }
    const saved = state.uncommitted.length
      ? (await backend.save(ref, 'deleted', `factory: ${slug}: uncommitted work of the deleted workspace\n\nFactory-Task: ${slug}\n`))
          ?.saved
      : undefined;
    await backend.remove(ref);
    recordTaskWorkspace(root, slug, { workspace: null });
    recordActivity(root, {
      task: slug,
      actor,
      action: 'workspace_deleted',
      outcome: 'success',
      details: {
        backend: backend.kind,
        path: ws.path,
        forced: Boolean(o.force),
        unmerged: state.unmerged,
        ...(branch ? { branch } : {}),
        ...(saved ? { saved: saved.ref, commit: saved.commit } : {}),
      },
    });
    return { saved, unmerged: state.unmerged, branch };
  } finally {
    await lock.release();
  }
}

/**
 * Makes the workspace's content that of `n` commits ago (1: its last commit), as uncommitted
 * changes; the history is not rewritten. Uncommitted work is first saved under
 * `refs/factory/<slug>/saved/<n>`, so a restore never loses anything.
 */
export async function restoreTaskWorkspace(
  root: string,
  slug: string,
  n: number,
  o: WorkspaceOpOptions = {},
): Promise<{ saved?: SavedAttempt }> {
  const ws = requireTaskWorkspace(root, slug);
  const actor = await resolveActor(root, o.actor);
  const lock = await acquireTaskLock(root, slug, { kind: 'workspace', command: `restore the workspace of ${slug}`, waitMs: o.waitMs });
  try {
    const backend = backendOf(root, ws, o.runner);
    const ref: WorkspaceRef = { slug, dir: ws.dir };
    const saved = (
      await backend.save(
        ref,
        'saved',
        `factory: ${slug}: work set aside before restoring from ${n} commit(s) ago\n\nFactory-Task: ${slug}\n`,
      )
    )?.saved;
    await backend.restoreFrom(ref, n);
    recordActivity(root, {
      task: slug,
      actor,
      action: 'workspace_restored',
      outcome: 'success',
      details: { commits_ago: n, ...(saved ? { saved: saved.ref, commit: saved.commit } : {}) },
    });
    return { saved };
  } finally {
    await lock.release();
  }
}

export interface ListedTaskWorkspace {
  slug: string;
  backend: BackendKind;
  path: string;
  /** Whether the directory is there (a fresh clone has the records, not the workspaces). */
  present: boolean;
}

/** Every task whose task.yaml records a workspace. Reads files only. */
export function listTaskWorkspaces(root: string): ListedTaskWorkspace[] {
  let names: string[];
  try {
    names = readdirSync(path.join(root, '.factory'));
  } catch {
    return [];
  }
  const out: ListedTaskWorkspace[] = [];
  for (const slug of names.sort()) {
    if (!validateSlug(slug).ok || !existsSync(path.join(root, '.factory', slug, 'task.yaml'))) continue;
    const t = loadTask(root, slug);
    if (!t.value?.workspace) continue;
    const present = existingTaskWorkspace(root, slug) !== undefined;
    out.push({ slug, backend: t.value.workspace.backend, path: t.value.workspace.path, present });
  }
  return out;
}
