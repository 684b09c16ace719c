import { copyFileSync, existsSync, lstatSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'smol-toml';
import { runGit } from '../repo/git';

/**
 * A git worktree holds the tracked files only. A Python project built with hatch-vcs or
 * setuptools-scm imports a version module the build writes from git's metadata and the project
 * ignores (tox-dev/platformdirs: `src/platformdirs/version.py`), so its tests fail to import
 * in the task's workspace while they pass in the main tree. This copies each such file, as the
 * main tree has it, into the workspace where it is missing. Returns the copied paths.
 */
export async function copyGeneratedVersionFiles(root: string, dir: string): Promise<string[]> {
  const listed = await runGit(['ls-files', '-z', '--', ':(glob)**/pyproject.toml'], { cwd: root });
  const named = listed.stdout
    .split('\0')
    .filter((m) => m !== '' && !m.startsWith('.factory/'))
    .sort()
    .flatMap((manifest) => versionFiles(root, manifest));
  if (!named.length) return [];
  // Only what git ignores: an untracked file that is not ignored would be a change of the task's.
  const ignored = await runGit(['check-ignore', '-z', '--stdin'], { cwd: root, input: `${named.join('\0')}\0`, allowExitCodes: [1] });
  const which = new Set(ignored.stdout.split('\0').filter(Boolean));
  return named.filter((rel) => which.has(rel) && copyInto(root, dir, rel));
}

/** The version files a pyproject.toml has its build write: hatch-vcs's `version-file`, setuptools-scm's `version_file` and `write_to`. */
function versionFiles(root: string, manifest: string): string[] {
  let doc: Record<string, unknown>;
  try {
    doc = parse(readFileSync(path.join(root, manifest), 'utf8')) as Record<string, unknown>;
  } catch {
    return []; // detection names an unreadable pyproject.toml; nothing to copy from it
  }
  const at = (...keys: string[]): unknown =>
    keys.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), doc);
  const named = [
    at('tool', 'hatch', 'build', 'hooks', 'vcs', 'version-file'),
    at('tool', 'setuptools_scm', 'version_file'),
    at('tool', 'setuptools_scm', 'write_to'),
  ];
  const base = path.posix.dirname(manifest);
  return [
    ...new Set(
      named
        .filter((v): v is string => typeof v === 'string' && v !== '' && !path.posix.isAbsolute(v) && !v.includes('\\'))
        .map((v) => path.posix.normalize(path.posix.join(base, v)))
        .filter((rel) => !rel.startsWith('../') && rel !== '..' && !rel.startsWith('.factory/')),
    ),
  ];
}

/** Copies `rel` from `from` to `to` when it is a regular file there, missing here, and its folder here is a real folder inside `to`. */
function copyInto(from: string, to: string, rel: string): boolean {
  const source = path.join(from, rel);
  const target = path.join(to, rel);
  try {
    if (!lstatSync(source).isFile() || existsSync(target) || lstatSync(path.dirname(target)).isSymbolicLink()) return false;
    const parent = realpathSync(path.dirname(target));
    const inside = realpathSync(to);
    if (parent !== inside && !parent.startsWith(`${inside}${path.sep}`)) return false;
    copyFileSync(source, target);
    return true;
  } catch {
    return false; // no such file in the main tree, or no such folder in the workspace
  }
}
