import { execFileSync } from 'node:child_process';
import { joinPathFragments, type Tree } from '@nx/devkit';
import { detectLanguageFromFiles, parseLanguage, validateGlob, validateSlug, type BeadsTaskInfo, type Language } from '@factory/core';
import type { TaskGeneratorOptions } from '../options';

export interface NormalizedTaskOptions {
  slug: string;
  title: string;
  description: string;
  language: Language;
  directory: string;
  allowedFiles: string[];
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
  const r = detectLanguageFromFiles(tree.children(directory === '.' ? '' : directory));
  if (!r.ok) throw new TaskOptionError('language', `${r.error.replace('in the contract', 'with --language')} (in ${directory})`);
  return r.value;
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

/** Validates every option before anything is written; errors name the option. */
export function normalizeTaskOptions(tree: Tree, o: TaskGeneratorOptions, beads?: BeadsTaskInfo): NormalizedTaskOptions {
  const slug = validateSlug(o.slug);
  if (!slug.ok) throw new TaskOptionError('slug', slug.error);
  if (tree.exists(joinPathFragments('.factory', slug.value, 'contract.yaml'))) {
    throw new TaskOptionError('slug', `task "${slug.value}" already exists in .factory/${slug.value}`);
  }
  const directory = normalizeDirectory(tree, o.directory);
  const baseCommit = o.baseCommit ?? headCommit(tree.root);
  if (baseCommit !== undefined && !/^[0-9a-f]{7,64}$/.test(baseCommit)) {
    throw new TaskOptionError('base-commit', `expected a commit id of 7-64 hex digits, got ${JSON.stringify(baseCommit)}`);
  }
  return {
    slug: slug.value,
    title: o.title?.trim() || beads?.title || slug.value,
    description: o.description?.trim() ?? beads?.description.trim() ?? '',
    ...(beads ? { beadsId: beads.id } : {}),
    ...(beads?.acceptanceCriteria ? { acceptance: beads.acceptanceCriteria } : {}),
    language: detectLanguage(tree, directory, o.language),
    directory,
    allowedFiles: globs('allowed-files', o.allowedFiles) ?? [directory === '.' ? '**' : `${directory}/**`],
    forbiddenFiles: globs('forbidden-files', o.forbiddenFiles),
    maxLinesChanged: o.maxLinesChanged,
    requiredTestCoverage: o.requiredTestCoverage,
    newDependenciesAllowed: o.newDependenciesAllowed,
    baseCommit,
  };
}
