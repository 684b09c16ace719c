import { LANGUAGE_MANIFESTS, type Language } from '../domain/language-names';
import { globBase } from '../repo/glob';
import { join, parent, type ProjectFiles } from './fs';
import type { DetectionProblem } from './types';

export interface Located {
  directory: string;
  manifest?: string;
  why: string;
}

/** Directories never searched for a project's manifest. */
const SKIP = new Set([
  'node_modules',
  '.git',
  '.jj',
  '.factory',
  '.nx',
  'dist',
  'build',
  'target',
  'vendor',
  '.venv',
  'venv',
  '__pycache__',
]);
const DOWN_DEPTH = 4;

/** The longest common directory of some POSIX paths (`.` when they share none). */
function commonDir(dirs: readonly string[]): string {
  if (!dirs.length) return '.';
  const split = dirs.map((d) => (d === '.' || d === '' ? [] : d.split('/')));
  const out: string[] = [];
  for (let i = 0; i < Math.min(...split.map((s) => s.length)); i++) {
    const seg = split[0][i];
    if (split.every((s) => s[i] === seg)) out.push(seg);
    else break;
  }
  return out.length ? out.join('/') : '.';
}

/** Directories under `dir` (breadth first, a few levels) holding one of the language's manifests. */
function manifestsBelow(files: ProjectFiles, dir: string, names: readonly string[]): string[] {
  const found: string[] = [];
  let level = [dir];
  for (let depth = 0; depth < DOWN_DEPTH && level.length && !found.length; depth++) {
    const next: string[] = [];
    for (const d of level) {
      for (const name of files.list(d).sort()) {
        if (SKIP.has(name) || name.startsWith('.')) continue;
        const sub = join(d, name);
        if (!files.isDir(sub)) continue;
        const m = files.first(sub, names);
        if (m) found.push(m);
        else next.push(sub);
      }
    }
    level = next;
  }
  return found;
}

/**
 * Where a task's stages run. An explicit `working_directory` is taken as it is (it must be a
 * directory). Without one: the deepest directory, at or above where the allowed files start,
 * that holds a manifest of the task's language (`go.mod`, `Cargo.toml`, `pyproject.toml`,
 * `package.json`, …); when there is none above, the one directory below that holds such a
 * manifest (a project kept in a subdirectory); else where the allowed files start.
 */
export function locateProject(
  files: ProjectFiles,
  language: Language,
  allowed: readonly string[],
  workingDirectory: string | undefined,
  contractFile: string,
): Located | DetectionProblem {
  const names = LANGUAGE_MANIFESTS[language];
  if (workingDirectory !== undefined) {
    const dir = workingDirectory.replace(/\/+$/, '') || '.';
    if (!files.isDir(dir)) {
      const what = files.isFile(dir) ? 'a file' : 'nothing (it does not exist)';
      return { file: contractFile, field: 'working_directory', message: `expected a directory of the repository, got ${what}: ${dir}` };
    }
    const manifest = files.first(dir, names);
    return { directory: dir, manifest, why: "the contract's working_directory" };
  }
  const base = commonDir(allowed.map((g) => globBase(g) || '.'));
  let start = base;
  while (start !== '.' && !files.isDir(start)) start = parent(start);
  for (let d = start; ; d = parent(d)) {
    const manifest = files.first(d, names);
    if (manifest) return { directory: d, manifest, why: `${manifest} covers the allowed files` };
    if (d === '.') break;
  }
  const below = manifestsBelow(files, start, names);
  if (below.length === 1) {
    const dir = parent(below[0]);
    return { directory: dir, manifest: below[0], why: `${below[0]} is the only ${language} manifest under ${start}` };
  }
  if (below.length > 1) {
    return {
      file: contractFile,
      field: 'working_directory',
      message: `expected one ${language} project under ${start}, found several (${below.slice(0, 4).join(', ')}); set working_directory to the one this task works on`,
    };
  }
  return { directory: start, why: `no ${names.join(' or ')} at or above ${start}: the stages run where the allowed files start` };
}
