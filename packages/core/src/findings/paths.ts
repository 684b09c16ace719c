import path from 'node:path';
import type { Finding } from './finding';

export interface PathBase {
  /** The absolute directory the tool ran in: relative paths it printed start there. */
  cwd: string;
  /** The absolute root of the repository. */
  root: string;
}

/**
 * `file` as a tool printed it (relative to `cwd`, `./x`, `../x` or absolute; `\` separators
 * accepted) made relative to the repository root with `/` separators (`src/a.ts`), or undefined
 * when it is outside the repository (or is the root itself).
 */
export function repoRelativePath(file: string, base: PathBase): string | undefined {
  const absolute = path.resolve(base.cwd, file.split(path.sep === '\\' ? '/' : '\\').join(path.sep));
  const relative = path.relative(path.resolve(base.root), absolute);
  if (relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) return undefined;
  return relative.split(path.sep).join('/');
}

/**
 * Findings with `file` relative to the repository root (see `repoRelativePath`). A file outside
 * the repository keeps its absolute path, with `/` separators: no change of the task's is there,
 * so it can only be a finding that was already there.
 */
export function resolveFindings(findings: readonly Finding[], base: PathBase): Finding[] {
  return findings.map((f) => {
    const inside = repoRelativePath(f.file, base);
    const file = inside ?? path.resolve(base.cwd, f.file).split(path.sep).join('/');
    return file === f.file ? f : { ...f, file };
  });
}
