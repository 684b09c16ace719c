import { appendFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { runGit } from '../repo/git';

/**
 * A git worktree holds the tracked files only. Installed dependencies (`node_modules`, ignored by
 * git) stay in the main tree, so the tools a stage runs in the workspace (`tsc`, `jest`, `eslint`
 * found by name in node_modules/.bin) would find nothing there. This links each `node_modules` directory
 * of the main tree that sits beside a tracked `package.json` (the root's included) into the
 * workspace, and excludes the links from git (`info/exclude` of the repository), so TCR never
 * commits them and the workspace's cache key does not see them.
 *
 * The links share the main tree's installation: an `npm install` run inside the workspace
 * changes the main tree's `node_modules` too. Returns the linked paths (relative, forward slashes).
 */
export async function linkInstalledDependencies(root: string, dir: string): Promise<string[]> {
  const listed = await runGit(['ls-files', '-z', '--', ':(glob)**/package.json'], { cwd: root });
  const dirs = [
    ...new Set(
      listed.stdout
        .split('\0')
        .filter(Boolean)
        .map((f) => path.posix.dirname(f)),
    ),
  ]
    .filter((d) => d !== '.factory' && !d.startsWith('.factory/'))
    .sort();
  const linked = linkInstalled(
    root,
    dir,
    dirs.map((d) => (d === '.' ? 'node_modules' : `${d}/node_modules`)),
  );
  if (linked.length) await excludeFromGit(dir, linked);
  return linked;
}

/**
 * Links each of `rels` (repository-relative installed-dependency folders: `node_modules`, a
 * virtualenv) that is a folder (or a link to one) under `from` into the same place under `to`,
 * where nothing is yet and the place's folder is a real folder of `to` (never written through a
 * link, which could lead out of it). Returns the linked paths.
 */
export function linkInstalled(from: string, to: string, rels: readonly string[]): string[] {
  const realTo = realPath(to);
  const linked: string[] = [];
  for (const rel of rels) {
    const source = path.join(from, rel);
    const target = path.join(to, rel);
    const parent = realPath(path.dirname(target));
    const inside = realTo !== undefined && parent !== undefined && (parent === realTo || parent.startsWith(`${realTo}${path.sep}`));
    if (!inside || !isDirectory(source, true) || existsSync(target) || isLink(target) || !isDirectory(path.dirname(target))) continue;
    const realFrom = realPath(from);
    if (realFrom && realTo && hasRepoLinks(source, realFrom)) linkEntries(source, target, realFrom, realTo);
    else symlinkSync(source, target, 'dir');
    linked.push(rel);
  }
  return linked;
}

/**
 * Where an entry of an installed-dependency folder is a link to a package of the repository
 * itself (npm, pnpm and yarn workspaces link `node_modules/shared` to `../packages/shared`),
 * the path of that package relative to the repository; otherwise undefined.
 */
function repoPackage(entry: string, realFrom: string): string | undefined {
  if (!isLink(entry)) return undefined;
  const real = realPath(entry);
  if (!real || !real.startsWith(`${realFrom}${path.sep}`)) return undefined;
  const rel = path.relative(realFrom, real);
  return rel.split(path.sep).includes('node_modules') ? undefined : rel;
}

/** The entries of `dir` and of its `@scope` folders. */
function entriesOf(dir: string): string[] {
  return readdirSync(dir).flatMap((name) =>
    name.startsWith('@') && isDirectory(path.join(dir, name)) ? readdirSync(path.join(dir, name)).map((n) => `${name}/${n}`) : [name],
  );
}

function hasRepoLinks(source: string, realFrom: string): boolean {
  return entriesOf(source).some((e) => repoPackage(path.join(source, e), realFrom) !== undefined);
}

/**
 * A folder of links instead of one link to the main tree's folder: each installed package links
 * to the main tree's, but a package of the repository itself links to the workspace's own copy,
 * so the task's tests import the task's version of a sibling package, not the main tree's
 * (unjs/destr's tests of a workspace package passed on the main tree's unchanged copy).
 */
function linkEntries(source: string, target: string, realFrom: string, realTo: string): void {
  mkdirSync(target);
  for (const e of entriesOf(source)) {
    const from = path.join(source, e);
    const to = path.join(target, e);
    mkdirSync(path.dirname(to), { recursive: true });
    const own = repoPackage(from, realFrom);
    const copy = own === undefined ? undefined : path.join(realTo, own);
    symlinkSync(copy && existsSync(copy) ? copy : from, to, isDirectory(from, true) ? 'dir' : 'file');
  }
}

function realPath(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

/** A directory (`follow`: or a link to one, as the main tree's own node_modules may be). */
function isDirectory(p: string, follow = false): boolean {
  try {
    return (follow ? statSync(p) : lstatSync(p)).isDirectory();
  } catch {
    return false;
  }
}

function isLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Adds `/<path>` lines to the repository's `info/exclude` (shared by its worktrees), once each. */
async function excludeFromGit(dir: string, paths: string[]): Promise<void> {
  const common = (await runGit(['rev-parse', '--path-format=absolute', '--git-common-dir'], { cwd: dir })).stdout.trim();
  const file = path.join(common, 'info', 'exclude');
  const present = new Set(existsSync(file) ? readFileSync(file, 'utf8').split('\n') : []);
  const lines = paths.map((p) => `/${p}`).filter((l) => !present.has(l));
  if (!lines.length) return;
  mkdirSync(path.dirname(file), { recursive: true });
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  appendFileSync(
    file,
    `${text && !text.endsWith('\n') ? '\n' : ''}# Factory: installed dependencies linked into task workspaces\n${lines.join('\n')}\n`,
  );
}
