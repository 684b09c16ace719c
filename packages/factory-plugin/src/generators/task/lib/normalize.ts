import { execFileSync } from 'node:child_process';
import { getProjects, joinPathFragments, type Tree } from '@nx/devkit';
import {
  detectLanguageFromFiles,
  globBase,
  LANGUAGE_MANIFESTS,
  LANGUAGES,
  parseLanguage,
  validateGlob,
  validateSlug,
  type BeadsTaskInfo,
  type Language,
} from '@factory/core';
import type { TaskGeneratorOptions } from '../options';

export interface NormalizedTaskOptions {
  slug: string;
  title: string;
  description: string;
  language: Language;
  directory: string;
  allowedFiles: string[];
  /** Where the stages run, written into the contract when the allowed files alone would put them elsewhere. */
  workingDirectory?: string;
  forbiddenFiles?: string[];
  maxLinesChanged?: number;
  requiredTestCoverage?: number;
  newDependenciesAllowed?: boolean;
  baseCommit?: string;
  beadsId?: string;
  acceptance?: string;
}

class TaskOptionError extends Error {
  constructor(option: string, message: string) {
    super(`--${option}: ${message}`);
    this.name = 'TaskOptionError';
  }
}

function normalizeDirectory(tree: Tree, dir: string | undefined): string {
  if (!dir || dir === '.' || dir === './') return '.';
  const d = dir.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
  if (d.startsWith('/') || d.split('/').includes('..')) {
    throw new TaskOptionError('directory', `expected a path inside the workspace, got ${JSON.stringify(dir)}`);
  }
  if (!tree.exists(d))
    throw new TaskOptionError('directory', `expected an existing directory, got ${JSON.stringify(dir)} (it does not exist)`);
  return d;
}

function detectLanguage(tree: Tree, directory: string, given: string | undefined): Language {
  if (given) {
    const r = parseLanguage(given);
    if (!r.ok) throw new TaskOptionError('language', r.error);
    return r.value;
  }
  const dir = directory === '.' ? '' : directory;
  const r = detectLanguageFromFiles(tree.children(dir), tree.read(dir ? `${dir}/package.json` : 'package.json', 'utf-8') ?? undefined);
  if (r.ok) return r.value;
  // Manifests of several languages here: the directory's own project is ambiguous, whatever is below.
  const here = new Set(tree.children(dir));
  if (LANGUAGES.some((l) => LANGUAGE_MANIFESTS[l].some((m) => here.has(m)))) {
    throw new TaskOptionError('language', `${r.error.replace('in the contract', 'with --language')} (in ${directory})`);
  }
  // A project kept in a subdirectory: the one language whose manifests are below.
  const below = new Set<Language>();
  const visit = (dir: string, depth: number) => {
    for (const name of tree.children(dir)) {
      const sub = dir ? `${dir}/${name}` : name;
      if (depth > 3 || SKIP.has(name) || name.startsWith('.') || tree.isFile(sub)) continue;
      const found = detectLanguageFromFiles(tree.children(sub));
      if (found.ok) below.add(found.value);
      else visit(sub, depth + 1);
    }
  };
  visit(dir, 0);
  if (below.size === 1) return [...below][0];
  throw new TaskOptionError('language', `${r.error.replace('in the contract', 'with --language')} (in ${directory})`);
}

/** Directories never searched for a manifest. */
const SKIP = new Set(['node_modules', 'dist', 'build', 'target', 'vendor', 'venv']);

/** Where the allowed files start, as a directory of the tree (`.` when they share none that exists). */
function commonBase(allowed: string[]): string {
  const bases = allowed.map((g) => globBase(g).split('/').filter(Boolean));
  const common: string[] = [];
  for (let i = 0; bases.length && i < Math.min(...bases.map((b) => b.length)); i++) {
    if (bases.every((b) => b[i] === bases[0][i])) common.push(bases[0][i]);
    else break;
  }
  return common.join('/') || '.';
}

function globs(option: string, list: string[] | undefined): string[] | undefined {
  if (!list) return undefined;
  const out = list.map((g) => g.trim()).filter(Boolean);
  for (const g of out) {
    const r = validateGlob(g);
    if (!r.ok) throw new TaskOptionError(option, r.error);
  }
  return out;
}

/** Whether git knows the commit in the repository at `root` (undefined: no git repository there to ask). */
function commitExists(root: string, commit: string): boolean | undefined {
  try {
    execFileSync('git', ['rev-parse', '--git-dir'], { cwd: root, stdio: 'ignore' });
  } catch {
    return undefined;
  }
  try {
    execFileSync('git', ['rev-parse', '--verify', '--quiet', '--end-of-options', `${commit}^{commit}`], { cwd: root, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function headCommit(root: string): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--verify', 'HEAD^{commit}'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

/**
 * A task is an Nx project named by its slug: a slug that is already a project's name (Nx would
 * then refuse the whole graph), or another task's in another case (one folder on a
 * case-insensitive file system), is refused before anything is written.
 */
function refuseCollisions(tree: Tree, slug: string): void {
  const lower = slug.toLowerCase();
  for (const name of tree.exists('.factory') ? tree.children('.factory') : []) {
    const isTask =
      tree.exists(joinPathFragments('.factory', name, 'contract.yaml')) || tree.exists(joinPathFragments('.factory', name, 'task.yaml'));
    if (!isTask || name.toLowerCase() !== lower) continue;
    throw new TaskOptionError(
      'slug',
      name === slug
        ? `task "${slug}" already exists in .factory/${slug}`
        : `expected a slug no other task has, got "${slug}", which only differs in case from task "${name}" (.factory/${name}): one folder on case-insensitive file systems`,
    );
  }
  let projects: Map<string, { root: string }>;
  try {
    projects = getProjects(tree);
  } catch {
    return; // A workspace whose project files cannot be read: Nx reports that itself.
  }
  for (const [name, p] of projects) {
    if (name.toLowerCase() !== lower || p.root.startsWith('.factory/')) continue;
    throw new TaskOptionError(
      'slug',
      `expected a slug that is not an Nx project's name, got "${slug}": the project at ${p.root} is called "${name}", and Nx needs every project name once; choose another slug`,
    );
  }
}

/** Validates every option before anything is written; errors name the option. */
export function normalizeTaskOptions(tree: Tree, o: TaskGeneratorOptions, beads?: BeadsTaskInfo): NormalizedTaskOptions {
  const slug = validateSlug(o.slug);
  if (!slug.ok) throw new TaskOptionError('slug', slug.error);
  refuseCollisions(tree, slug.value);
  const directory = normalizeDirectory(tree, o.directory);
  const allowed = globs('allowed-files', o.allowedFiles);
  const baseCommit = o.baseCommit ?? headCommit(tree.root);
  if (baseCommit !== undefined && !/^[0-9a-f]{7,64}$/.test(baseCommit)) {
    throw new TaskOptionError('base-commit', `expected a commit id of 7-64 hex digits, got ${JSON.stringify(baseCommit)}`);
  }
  if (o.baseCommit !== undefined && commitExists(tree.root, o.baseCommit) === false) {
    throw new TaskOptionError(
      'base-commit',
      `expected a commit of this repository, got ${JSON.stringify(o.baseCommit)}, which git does not know (git rev-parse --verify finds no such commit)`,
    );
  }
  return {
    slug: slug.value,
    title: o.title?.trim() || beads?.title || slug.value,
    description: o.description?.trim() ?? beads?.description.trim() ?? '',
    ...(beads ? { beadsId: beads.id } : {}),
    ...(beads?.acceptanceCriteria ? { acceptance: beads.acceptanceCriteria } : {}),
    language: detectLanguage(tree, directory !== '.' || !allowed ? directory : commonBase(allowed), o.language),
    directory,
    allowedFiles: allowed ?? [directory === '.' ? '**' : `${directory}/**`],
    forbiddenFiles: globs('forbidden-files', o.forbiddenFiles),
    maxLinesChanged: o.maxLinesChanged,
    requiredTestCoverage: o.requiredTestCoverage,
    newDependenciesAllowed: o.newDependenciesAllowed,
    baseCommit,
  };
}
