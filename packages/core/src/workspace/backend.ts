/**
 * One interface for a task's isolated workspace, whatever keeps it: a git worktree on the
 * branch `factory/<slug>` (default, always available) or a jj workspace. Everything above it
 * (the task's workspace operations, TCR) speaks only this interface.
 */

export type BackendKind = 'git' | 'jj';

export type ChangeKind = 'added' | 'modified' | 'deleted';

/** A file that differs between two states of the code. */
export interface ChangedPath {
  path: string;
  kind: ChangeKind;
  /** A nested repository (git submodule or embedded repository): a revert never deletes one. */
  gitlink?: boolean;
}

/** A workspace Factory made for a task. */
export interface WorkspaceRef {
  slug: string;
  /** Absolute path of its directory. */
  dir: string;
}

export interface CreatedWorkspace {
  /** The commit it started from (full id). */
  base: string;
  /** git: the branch (`factory/<slug>`). */
  branch?: string;
  /** jj: the workspace's name. */
  name?: string;
  /** True when the branch (git) already existed and was checked out again, commits and all. */
  reused: boolean;
}

export interface WorkspaceState {
  /** The commit the working copy is on (git HEAD, jj @-). */
  head: string;
  /** Files that differ from that commit (tracked and untracked, not ignored). */
  uncommitted: ChangedPath[];
  /** Commits of the task not on any other branch (git) or not in trunk() (jj). */
  unmerged: number;
}

export interface ListedWorkspace {
  slug: string;
  /** git: where the worktree is; jj does not list its workspaces' directories. */
  dir?: string;
  head?: string;
  branch?: string;
}

/** Kinds of saved working-copy states: a TCR attempt that was reverted, work set aside before a
 * restore, or uncommitted work of a workspace deleted with force. */
export type SavedKind = 'reverted' | 'saved' | 'deleted';

/** A saved working-copy state: a commit kept under a ref (git) or a bookmark (jj). */
export interface SavedAttempt {
  slug: string;
  kind: SavedKind;
  /** Its number among the task's saved states of this kind, from 1. */
  n: number;
  /** git: `refs/factory/<slug>/<kind>/<n>`; jj: the bookmark `factory-<kind>/<slug>/<n>`. */
  ref: string;
  commit: string;
  /** The commit the working copy was on. */
  parent: string;
  /** ISO time it was saved. */
  date: string;
  subject: string;
  /** jj: the operation that recorded it (the working copy's state is also in jj's operation log). */
  operation?: string;
}

/** A message, or how to write it from the files the change touches. */
export type MessageFor = string | ((files: readonly ChangedPath[]) => string);

export const messageFor = (m: MessageFor, files: readonly ChangedPath[]) => (typeof m === 'string' ? m : m(files));

export interface SaveOptions {
  /** When the working copy holds exactly this saved state's content, return it instead of saving a copy. */
  unlessSameAs?: SavedAttempt;
}

export interface WorkspaceBackend {
  readonly kind: BackendKind;
  /** Creates the workspace at `dir` from `base` (git: on `factory/<slug>`, reused when it exists). */
  create(req: { slug: string; dir: string; base: string }): Promise<CreatedWorkspace>;
  state(ws: WorkspaceRef): Promise<WorkspaceState>;
  list(): Promise<ListedWorkspace[]>;
  /** Removes the workspace's directory; the task's commits stay (git keeps the branch). */
  remove(ws: WorkspaceRef): Promise<void>;
  /** Files that differ from the last commit, tracked and untracked, not ignored. */
  changes(ws: WorkspaceRef): Promise<ChangedPath[]>;
  /** The commit the working copy is on (git HEAD, jj @-). */
  head(ws: WorkspaceRef): Promise<string>;
  /** Commits every change; undefined when there was nothing to commit. */
  commit(ws: WorkspaceRef, message: MessageFor): Promise<{ commit: string; files: ChangedPath[] } | undefined>;
  /** Saves the working copy, without changing it, as a new saved state of `kind`; undefined when it is clean. */
  save(
    ws: WorkspaceRef,
    kind: SavedKind,
    message: MessageFor,
    opts?: SaveOptions,
  ): Promise<{ saved: SavedAttempt; files: ChangedPath[] } | undefined>;
  /** Puts these paths back as they are in the last commit (added files are removed). */
  revert(ws: WorkspaceRef, paths: readonly ChangedPath[]): Promise<void>;
  /** Makes the working copy's content that of `n` commits ago (1: the last commit), as uncommitted changes. */
  restoreFrom(ws: WorkspaceRef, n: number): Promise<void>;
  /** The task's saved states, oldest first. */
  listSaved(slug: string, kind?: SavedKind): Promise<SavedAttempt[]>;
  /** Files the saved state changed relative to its parent. */
  savedFiles(ws: WorkspaceRef, saved: SavedAttempt): Promise<ChangedPath[]>;
  /** Brings a saved state back into a clean working copy, byte for byte when its parent is the current commit. */
  restoreSaved(ws: WorkspaceRef, saved: SavedAttempt): Promise<void>;
  /**
   * After a run on this workspace was killed: removes the lock files it left (only files made
   * since `sinceMs`), so that the next command does not fail on them. Returns what it removed.
   */
  recover?(ws: WorkspaceRef, sinceMs: number): Promise<string[]>;
}

/** Git ref namespace of a task's saved states. */
export const savedRefPrefix = (slug: string, kind?: SavedKind) => `refs/factory/${slug}/${kind ? `${kind}/` : ''}`;
