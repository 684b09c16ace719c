import { rmSync } from 'node:fs';
import { FactoryError } from '../domain/errors';
import {
  messageFor,
  type ChangedPath,
  type CreatedWorkspace,
  type ListedWorkspace,
  type MessageFor,
  type SavedAttempt,
  type SavedKind,
  type WorkspaceBackend,
  type WorkspaceRef,
  type WorkspaceState,
} from './backend';
import { programRunner, type CommandRunner } from './command-runner';

/**
 * Workspaces as jj workspaces (`jj workspace add --name <slug> -r <base> <dir>`), the seeds'
 * choice. jj snapshots the working copy on every command, so nothing is staged; a saved state
 * is a described commit beside the working copy, kept visible by the bookmark
 * `factory-<kind>/<slug>/<n>` and recorded in jj's operation log.
 *
 * jj cannot be installed where Factory is developed: these command sequences are checked by
 * unit tests through an injected runner, never against a real jj (see docs/workspaces-and-tcr.md).
 */

/** A path as a jj fileset that means exactly that file, whatever characters it holds. */
export const jjFile = (p: string) => `root-file:${JSON.stringify(p)}`;

const SUMMARY_KIND: Record<string, ChangedPath['kind']> = { A: 'added', D: 'deleted', M: 'modified' };

/** `jj diff --summary`: `M path`, `A path`, `D path` (renames as `R {a => b}` count as both). */
export function parseJjSummary(out: string): ChangedPath[] {
  const files: ChangedPath[] = [];
  for (const line of out.split('\n')) {
    const m = /^([A-Z]) (.+)$/.exec(line);
    if (!m) continue;
    const rename = /^(.*)\{(.*) => (.*)\}(.*)$/.exec(m[2]);
    if (m[1] === 'R' && rename) {
      files.push({ path: `${rename[1]}${rename[2]}${rename[4]}`.replace(/\/\//g, '/'), kind: 'deleted' });
      files.push({ path: `${rename[1]}${rename[3]}${rename[4]}`.replace(/\/\//g, '/'), kind: 'added' });
    } else files.push({ path: m[2], kind: SUMMARY_KIND[m[1]] ?? 'modified' });
  }
  return files;
}

const SAVED_TEMPLATE =
  'bookmarks.map(|b| b.name()).join(",") ++ "\\t" ++ commit_id ++ "\\t" ++ parents.map(|c| c.commit_id()).join(",") ++ "\\t" ++ committer.timestamp() ++ "\\t" ++ description.first_line() ++ "\\n"';

export function parseJjSaved(slug: string, out: string): SavedAttempt[] {
  const saved: SavedAttempt[] = [];
  for (const line of out.split('\n')) {
    const [names, commit, parents, date, subject] = line.split('\t');
    if (!names || !commit) continue;
    for (const name of names.split(',')) {
      const m = /^factory-(reverted|saved|deleted)\/([^/]+)\/(\d+)$/.exec(name.trim());
      if (!m || m[2] !== slug) continue;
      saved.push({
        slug,
        kind: m[1] as SavedKind,
        n: Number(m[3]),
        ref: name.trim(),
        commit,
        parent: (parents ?? '').split(',')[0],
        date: date ?? '',
        subject: subject ?? '',
      });
    }
  }
  const order: SavedKind[] = ['reverted', 'saved', 'deleted'];
  return saved.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || a.n - b.n);
}

export class JjWorkspaceBackend implements WorkspaceBackend {
  readonly kind = 'jj' as const;

  constructor(
    private readonly root: string,
    private readonly run: CommandRunner = programRunner,
  ) {}

  private async jj(cwd: string, args: string[]): Promise<string> {
    return (await this.run('jj', args, { cwd })).stdout;
  }

  private async id(cwd: string, rev: string): Promise<string> {
    return (await this.jj(cwd, ['log', '-r', rev, '--no-graph', '-T', 'commit_id ++ "\\n"'])).trim();
  }

  async create(req: { slug: string; dir: string; base: string }): Promise<CreatedWorkspace> {
    await this.jj(this.root, ['workspace', 'add', '--name', req.slug, '-r', req.base, req.dir]);
    return { base: req.base, name: req.slug, reused: false };
  }

  async state(ws: WorkspaceRef): Promise<WorkspaceState> {
    const head = await this.head(ws);
    const uncommitted = await this.changes(ws);
    const unmerged = await this.jj(ws.dir, ['log', '-r', '(::@- ~ ::trunk()) ~ root()', '--no-graph', '-T', 'commit_id ++ "\\n"']);
    return { head, uncommitted, unmerged: unmerged.split('\n').filter(Boolean).length };
  }

  async list(): Promise<ListedWorkspace[]> {
    const out = await this.jj(this.root, ['workspace', 'list']);
    return out
      .split('\n')
      .map((l) => /^([^:\s]+): (\S+)?/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null && m[1] !== 'default')
      .map((m) => ({ slug: m[1], head: m[2] }));
  }

  async remove(ws: WorkspaceRef): Promise<void> {
    await this.jj(this.root, ['workspace', 'forget', ws.slug]);
    rmSync(ws.dir, { recursive: true, force: true });
  }

  async changes(ws: WorkspaceRef): Promise<ChangedPath[]> {
    return parseJjSummary(await this.jj(ws.dir, ['diff', '--summary', '-r', '@']));
  }

  async head(ws: WorkspaceRef): Promise<string> {
    return this.id(ws.dir, '@-');
  }

  async commit(ws: WorkspaceRef, message: MessageFor): Promise<{ commit: string; files: ChangedPath[] } | undefined> {
    const files = await this.changes(ws);
    if (files.length === 0) return undefined;
    await this.jj(ws.dir, ['commit', '-m', messageFor(message, files)]);
    return { commit: await this.id(ws.dir, '@-'), files };
  }

  async save(ws: WorkspaceRef, kind: SavedKind, message: MessageFor): Promise<{ saved: SavedAttempt; files: ChangedPath[] } | undefined> {
    const files = await this.changes(ws);
    if (files.length === 0) return undefined;
    const text = messageFor(message, files);
    const parent = await this.id(ws.dir, '@-');
    // The working copy becomes the saved commit; a new working copy on the same parent gets
    // the same content back, so nothing on disk changes here.
    await this.jj(ws.dir, ['commit', '-m', text]);
    const commit = await this.id(ws.dir, '@-');
    const n = (await this.listSaved(ws.slug, kind)).reduce((m, s) => Math.max(m, s.n), 0) + 1;
    const ref = `factory-${kind}/${ws.slug}/${n}`;
    await this.jj(ws.dir, ['bookmark', 'create', ref, '-r', commit]);
    await this.jj(ws.dir, ['new', parent]);
    await this.jj(ws.dir, ['restore', '--from', commit]);
    const operation = (await this.jj(ws.dir, ['op', 'log', '-n', '1', '--no-graph', '-T', 'id.short(16) ++ "\\n"'])).trim();
    return {
      saved: { slug: ws.slug, kind, n, ref, commit, parent, date: new Date().toISOString(), subject: text.split('\n')[0], operation },
      files,
    };
  }

  async revert(ws: WorkspaceRef, paths: readonly ChangedPath[]): Promise<void> {
    if (paths.length === 0) return;
    await this.jj(ws.dir, ['restore', '--from', '@-', '--', ...paths.map((p) => jjFile(p.path))]);
  }

  async restoreFrom(ws: WorkspaceRef, n: number): Promise<void> {
    if (!Number.isInteger(n) || n < 1)
      throw new FactoryError('USAGE', `expected a number of commits of at least 1 (1: the last commit), got ${n}`);
    await this.jj(ws.dir, ['restore', '--from', `@${'-'.repeat(n)}`]);
  }

  async listSaved(slug: string, kind?: SavedKind): Promise<SavedAttempt[]> {
    const pattern = `factory-${kind ?? '*'}/${slug}/*`;
    const out = await this.jj(this.root, ['log', '-r', `bookmarks(glob:${JSON.stringify(pattern)})`, '--no-graph', '-T', SAVED_TEMPLATE]);
    return parseJjSaved(slug, out).filter((s) => !kind || s.kind === kind);
  }

  async savedFiles(ws: WorkspaceRef, saved: SavedAttempt): Promise<ChangedPath[]> {
    return parseJjSummary(await this.jj(ws.dir, ['diff', '--summary', '--from', saved.parent, '--to', saved.commit]));
  }

  async restoreSaved(ws: WorkspaceRef, saved: SavedAttempt): Promise<void> {
    const head = await this.id(ws.dir, '@-');
    if (head !== saved.parent) {
      throw new FactoryError(
        'VCS',
        `${saved.ref} was made on ${saved.parent.slice(0, 12)}, the workspace is now on ${head.slice(0, 12)}; bring it over with jj (e.g. jj squash --from ${saved.ref} --into @)`,
      );
    }
    await this.jj(ws.dir, ['restore', '--from', saved.commit]);
  }
}
