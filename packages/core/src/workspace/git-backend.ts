import { existsSync, readdirSync, rmdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { FactoryError } from '../domain/errors';
import { runGit, type GitOptions } from '../repo/git';
import {
  messageFor,
  savedRefPrefix,
  type ChangedPath,
  type CreatedWorkspace,
  type ListedWorkspace,
  type MessageFor,
  type SavedAttempt,
  type SavedKind,
  type SaveOptions,
  type WorkspaceBackend,
  type WorkspaceRef,
  type WorkspaceState,
} from './backend';
import { taskBranch } from './pointer';
import { gitDirsOf, headFromFiles, highestRefNumber } from './git-files';
import { workingTreeId } from '../code-hash/tree';
import { FOR_EACH_REF_FORMAT, parseRawDiff, parseSavedRefs, parseStatusZ, parseWorktreeList } from './git-parse';

/** TCR makes many small commits: no automatic gc or maintenance in the middle of a cycle. */
const NO_AUTO_GC = ['-c', 'gc.auto=0', '-c', 'maintenance.auto=false'];

const git = (cwd: string, args: string[], extra: Omit<GitOptions, 'cwd'> = {}) => runGit(args, { cwd, ...extra });
const out = async (cwd: string, args: string[], extra: Omit<GitOptions, 'cwd'> = {}) => (await git(cwd, args, extra)).stdout;

/** Removes `file` and then its parent directories while they are empty, up to `top`. */
function removeUpTo(top: string, rel: string): void {
  const full = path.join(top, rel);
  rmSync(full, { force: true });
  let dir = path.dirname(full);
  while (dir.startsWith(`${top}${path.sep}`)) {
    try {
      if (readdirSync(dir).length > 0) break;
      rmdirSync(dir);
    } catch {
      break;
    }
    dir = path.dirname(dir);
  }
}

function lockFilesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.lock'))
      .map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}

/**
 * Workspaces as git worktrees: `git worktree add -b factory/<slug> <dir> <base>`. Saved states
 * (reverted TCR attempts, work set aside) are commits made from a copy of the index, so the
 * working copy and the real index are never touched while saving, and are kept reachable
 * under `refs/factory/<slug>/<kind>/<n>`, created only if absent (an existing one is never
 * overwritten).
 */
export class GitWorktreeBackend implements WorkspaceBackend {
  readonly kind = 'git' as const;
  private readonly gitDirs = new Map<string, string>();
  private identityEnv?: Record<string, string>;

  constructor(private readonly root: string) {}

  async create(req: { slug: string; dir: string; base: string }): Promise<CreatedWorkspace> {
    const branch = taskBranch(req.slug);
    const exists =
      (await git(this.root, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], { allowExitCodes: [1] })).exitCode === 0;
    // A worktree whose directory was deleted by hand is still registered until pruned.
    if (exists) await git(this.root, ['worktree', 'prune']);
    if (exists) await git(this.root, ['worktree', 'add', '--quiet', req.dir, branch]);
    else await git(this.root, ['worktree', 'add', '--quiet', '-b', branch, req.dir, req.base]);
    const base = exists ? req.base : (await out(req.dir, ['rev-parse', 'HEAD'])).trim();
    return { base, branch, reused: exists };
  }

  async state(ws: WorkspaceRef): Promise<WorkspaceState> {
    const head = await this.head(ws);
    const uncommitted = await this.changes(ws);
    const count = await out(this.root, [
      'rev-list',
      '--count',
      `refs/heads/${taskBranch(ws.slug)}`,
      '--not',
      '--exclude=factory/*',
      '--branches',
    ]);
    return { head, uncommitted, unmerged: Number(count.trim()) || 0 };
  }

  async list(): Promise<ListedWorkspace[]> {
    return parseWorktreeList(await out(this.root, ['worktree', 'list', '--porcelain', '-z']));
  }

  async remove(ws: WorkspaceRef): Promise<void> {
    if (existsSync(ws.dir)) await git(this.root, ['worktree', 'remove', '--force', '--force', ws.dir]);
    await git(this.root, ['worktree', 'prune']);
  }

  async changes(ws: WorkspaceRef): Promise<ChangedPath[]> {
    return parseStatusZ(await out(ws.dir, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames']));
  }

  async head(ws: WorkspaceRef): Promise<string> {
    const dirs = gitDirsOf(ws.dir);
    return (dirs && headFromFiles(dirs)) ?? (await out(ws.dir, ['rev-parse', 'HEAD'])).trim();
  }

  /**
   * The identity commits are made with: git's own (config, or what git can detect), else
   * `Factory <factory@localhost>`, so TCR still commits where no identity is configured (a CI
   * container); such commits are plainly Factory's.
   */
  private async identity(ws: WorkspaceRef): Promise<Record<string, string>> {
    if (this.identityEnv) return this.identityEnv;
    const known = async (v: string) => (await git(ws.dir, ['var', v], { allowExitCodes: [128] })).exitCode === 0;
    const [author, committer] = await Promise.all([known('GIT_AUTHOR_IDENT'), known('GIT_COMMITTER_IDENT')]);
    this.identityEnv = {
      ...(author ? {} : { GIT_AUTHOR_NAME: 'Factory', GIT_AUTHOR_EMAIL: 'factory@localhost' }),
      ...(committer ? {} : { GIT_COMMITTER_NAME: 'Factory', GIT_COMMITTER_EMAIL: 'factory@localhost' }),
    };
    return this.identityEnv;
  }

  async commit(ws: WorkspaceRef, message: MessageFor): Promise<{ commit: string; files: ChangedPath[] } | undefined> {
    await git(ws.dir, ['add', '-A', '--', ':/']);
    const files = parseRawDiff(await out(ws.dir, ['diff', '--cached', '-z', '--no-renames', '--raw']));
    if (files.length === 0) return undefined;
    await git(ws.dir, [...NO_AUTO_GC, 'commit', '--quiet', '--no-edit', '-F', '-'], {
      input: messageFor(message, files),
      env: await this.identity(ws),
    });
    return { commit: await this.head(ws), files };
  }

  /** The worktree's own git directory (`.git/worktrees/<name>`), where its index lives. */
  async gitDir(ws: WorkspaceRef): Promise<string> {
    let d = this.gitDirs.get(ws.dir) ?? gitDirsOf(ws.dir)?.gitDir;
    if (!d) d = (await out(ws.dir, ['rev-parse', '--path-format=absolute', '--git-dir'])).trim();
    this.gitDirs.set(ws.dir, d);
    return d;
  }

  /** Tree of the whole working copy (tracked and untracked, not ignored), from a copy of the index. */
  private async workingTree(ws: WorkspaceRef): Promise<string> {
    return workingTreeId(ws.dir, { indexFile: path.join(await this.gitDir(ws), 'factory-save.index') });
  }

  async save(
    ws: WorkspaceRef,
    kind: SavedKind,
    message: MessageFor,
    opts: SaveOptions = {},
  ): Promise<{ saved: SavedAttempt; files: ChangedPath[] } | undefined> {
    const tree = await this.workingTree(ws);
    const parent = await this.head(ws);
    const raw = parseRawDiff(await out(ws.dir, ['diff-tree', '-r', '-z', '--no-renames', '--raw', parent, tree]));
    if (raw.length === 0) return undefined;
    const same = opts.unlessSameAs;
    if (same && same.parent === parent && (await out(ws.dir, ['rev-parse', `${same.commit}^{tree}`])).trim() === tree)
      return { saved: same, files: raw };
    const text = messageFor(message, raw);
    const commit = (
      await out(ws.dir, ['commit-tree', tree, '-p', parent, '-F', '-'], { input: text, env: await this.identity(ws) })
    ).trim();
    const saved = await this.keep(ws.slug, kind, commit, parent, text);
    return { saved, files: raw };
  }

  /** Points the next free `refs/factory/<slug>/<kind>/<n>` at `commit` (never overwriting one). */
  private async keep(slug: string, kind: SavedKind, commit: string, parent: string, message: string): Promise<SavedAttempt> {
    const dirs = gitDirsOf(this.root);
    for (let tries = 0; ; tries++) {
      // Loose and packed refs give the next number without a git process; git's create-only
      // update below is what guarantees nothing is overwritten, and a retry asks git itself.
      const n =
        (tries === 0 && dirs
          ? highestRefNumber(dirs, savedRefPrefix(slug, kind))
          : (await this.listSaved(slug, kind)).reduce((m, s) => Math.max(m, s.n), 0)) + 1;
      const ref = `${savedRefPrefix(slug, kind)}${n}`;
      const r = await git(this.root, ['update-ref', '-m', `factory: save ${kind} ${n}`, ref, commit, ''], { allowExitCodes: [128] });
      if (r.exitCode === 0) {
        return { slug, kind, n, ref, commit, parent, date: new Date().toISOString(), subject: message.split('\n')[0] };
      }
      if (tries >= 5) throw new FactoryError('VCS', `could not create ${ref}: ${r.stderr.trim().split('\n')[0]}`);
    }
  }

  async revert(ws: WorkspaceRef, paths: readonly ChangedPath[]): Promise<void> {
    const tracked = paths.filter((p) => p.kind !== 'added').map((p) => p.path);
    const added = paths.filter((p) => p.kind === 'added' && !p.gitlink).map((p) => p.path);
    const fromFile = ['--pathspec-from-file=-', '--pathspec-file-nul'];
    if (tracked.length) {
      await git(ws.dir, ['--literal-pathspecs', 'restore', '--source=HEAD', '--staged', '--worktree', ...fromFile], {
        input: tracked.join('\0'),
      });
    }
    if (added.length) {
      await git(ws.dir, ['--literal-pathspecs', 'rm', '--cached', '--quiet', '--ignore-unmatch', '-r', ...fromFile], {
        input: added.join('\0'),
      });
      for (const p of added) removeUpTo(ws.dir, p);
    }
  }

  /** Working copy := `source` (tracked and untracked, not ignored), index back on HEAD. */
  private async checkoutContent(ws: WorkspaceRef, source: string): Promise<void> {
    await git(ws.dir, ['clean', '-d', '--force', '--quiet', '--', ':/']);
    await git(ws.dir, ['restore', `--source=${source}`, '--staged', '--worktree', '--', ':/']);
    await git(ws.dir, ['reset', '--quiet']);
  }

  async restoreFrom(ws: WorkspaceRef, n: number): Promise<void> {
    if (!Number.isInteger(n) || n < 1)
      throw new FactoryError('USAGE', `expected a number of commits of at least 1 (1: the last commit), got ${n}`);
    const source = n === 1 ? 'HEAD' : `HEAD~${n - 1}`;
    const ok = await git(ws.dir, ['rev-parse', '--verify', '--quiet', `${source}^{commit}`], { allowExitCodes: [1] });
    if (ok.exitCode !== 0) {
      const count = (await out(ws.dir, ['rev-list', '--count', 'HEAD'])).trim();
      throw new FactoryError('USAGE', `cannot restore from ${n} commits ago: the workspace's history has ${count} commit(s)`);
    }
    await this.checkoutContent(ws, source);
  }

  async recover(ws: WorkspaceRef, sinceMs: number): Promise<string[]> {
    const gitDir = await this.gitDir(ws);
    const common = (await out(ws.dir, ['rev-parse', '--path-format=absolute', '--git-common-dir'])).trim();
    const ours = [path.join(gitDir, 'factory-save.index'), path.join(gitDir, 'factory-save.index.lock')];
    const gits = [
      path.join(gitDir, 'index.lock'),
      path.join(gitDir, 'HEAD.lock'),
      path.join(common, 'packed-refs.lock'),
      path.join(common, 'refs', 'heads', 'factory', `${ws.slug}.lock`),
      ...lockFilesUnder(path.join(common, 'refs', 'factory', ws.slug)),
    ];
    const removed: string[] = [];
    for (const f of ours) {
      if (!existsSync(f)) continue;
      rmSync(f, { force: true });
      removed.push(f);
    }
    for (const f of gits) {
      const st = statSync(f, { throwIfNoEntry: false });
      // Only a lock made during the killed run: an older one may belong to someone's git.
      if (st && st.mtimeMs >= sinceMs - 2000) {
        rmSync(f, { force: true });
        removed.push(f);
      }
    }
    return removed;
  }

  async listSaved(slug: string, kind?: SavedKind): Promise<SavedAttempt[]> {
    return parseSavedRefs(slug, await out(this.root, ['for-each-ref', `--format=${FOR_EACH_REF_FORMAT}`, savedRefPrefix(slug, kind)]));
  }

  async savedFiles(ws: WorkspaceRef, saved: SavedAttempt): Promise<ChangedPath[]> {
    return parseRawDiff(await out(ws.dir, ['diff-tree', '-r', '-z', '--no-renames', '--raw', saved.parent, saved.commit]));
  }

  async restoreSaved(ws: WorkspaceRef, saved: SavedAttempt): Promise<void> {
    const head = await this.head(ws);
    if (head === saved.parent) return this.checkoutContent(ws, saved.commit);
    // The task moved on since: apply the attempt's change to the current commit, three-way.
    const patch = await out(ws.dir, ['diff', '--binary', '--full-index', saved.parent, saved.commit]);
    const r = await git(ws.dir, ['apply', '--3way', '--whitespace=nowarn', '-'], { input: patch, allowExitCodes: [1] });
    if (r.exitCode !== 0) {
      throw new FactoryError(
        'VCS',
        `${saved.ref} was made on ${saved.parent.slice(0, 12)} and does not apply cleanly on ${head.slice(0, 12)}: ${r.stderr.trim().split('\n').slice(0, 3).join('; ')}. ` +
          'Resolve the conflicts left in the files, or restore the workspace to its last commit and try again',
      );
    }
    await git(ws.dir, ['reset', '--quiet']);
  }
}
