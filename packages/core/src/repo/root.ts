import fs from 'node:fs';
import path from 'node:path';
import { FactoryError, err, type Result } from '../domain/errors';
import { detectLanguageFromFiles, type Language } from '../domain/language';

export interface RepoRoot {
  /** Absolute path of the repository's top directory. */
  root: string;
  /** `jj` when the root holds a `.jj` directory (also when git is colocated), else `git`. */
  vcs: 'git' | 'jj';
  /** The root also holds `.git` (a directory, or a file as in worktrees and submodules). */
  hasGit: boolean;
}

function isDirectory(p: string): boolean {
  return fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

function exists(p: string): boolean {
  return fs.statSync(p, { throwIfNoEntry: false }) !== undefined;
}

/**
 * Walks up from `start` (a directory, or a file whose directory is used) to the nearest directory
 * holding `.git` (directory or file) or a `.jj` directory.
 */
export function findRepoRoot(start: string): RepoRoot {
  const absolute = path.resolve(start);
  const stat = fs.statSync(absolute, { throwIfNoEntry: false });
  if (!stat) {
    throw new FactoryError('VCS', `expected an existing directory to look for a repository from, got ${absolute} (it does not exist)`);
  }
  let dir = stat.isDirectory() ? absolute : path.dirname(absolute);
  for (;;) {
    const hasGit = exists(path.join(dir, '.git'));
    const hasJj = isDirectory(path.join(dir, '.jj'));
    if (hasGit || hasJj) return { root: dir, vcs: hasJj ? 'jj' : 'git', hasGit };
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new FactoryError(
    'VCS',
    `expected ${absolute} to be inside a git or jj repository, but neither it nor any parent holds .git or .jj; run "git init" there or pass a path inside a repository`,
  );
}

/** Detects the language of `dir` from the manifest files directly in it (not recursive). */
export function detectLanguage(dir: string): Result<Language> {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (e) {
    return err(`could not read the directory ${dir}: ${(e as Error).message}`);
  }
  let packageJson: string | undefined;
  if (names.includes('package.json')) {
    try {
      packageJson = fs.readFileSync(path.join(dir, 'package.json'), 'utf8');
    } catch {
      packageJson = undefined;
    }
  }
  return detectLanguageFromFiles(names, packageJson);
}
