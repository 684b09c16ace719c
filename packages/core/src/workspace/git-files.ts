import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Reads what git keeps in plain files, where that saves starting a git process on TCR's hot
 * path. Every function returns undefined when the layout is not the simple one (packed refs,
 * reftable, a detached worktree setup), and callers then ask git itself.
 */

const read = (f: string) => {
  try {
    return readFileSync(f, 'utf8');
  } catch {
    return undefined;
  }
};

export interface GitDirs {
  /** The worktree's own git directory (`.git/worktrees/<name>`, or `.git`). */
  gitDir: string;
  /** The repository's common directory (`.git`). */
  commonDir: string;
}

/** From `<dir>/.git` (a directory, or a worktree's `gitdir:` file) and its `commondir` file. */
export function gitDirsOf(dir: string): GitDirs | undefined {
  const dotGit = path.join(dir, '.git');
  const file = read(dotGit);
  let gitDir: string;
  if (file === undefined) gitDir = dotGit;
  else {
    const m = /^gitdir: (.+)$/m.exec(file);
    if (!m) return undefined;
    gitDir = path.resolve(dir, m[1].trim());
  }
  const common = read(path.join(gitDir, 'commondir'));
  return { gitDir, commonDir: common === undefined ? gitDir : path.resolve(gitDir, common.trim()) };
}

/** The commit HEAD names, read from loose files. */
export function headFromFiles(dirs: GitDirs): string | undefined {
  const head = read(path.join(dirs.gitDir, 'HEAD'))?.trim();
  if (!head) return undefined;
  if (/^[0-9a-f]{40,64}$/.test(head)) return head;
  const ref = /^ref: (refs\/\S+)$/.exec(head)?.[1];
  if (!ref) return undefined;
  const id = read(path.join(dirs.commonDir, ref))?.trim();
  return id && /^[0-9a-f]{40,64}$/.test(id) ? id : undefined;
}

/** The highest n of `<prefix><n>` among loose and packed refs (0 when there are none). */
export function highestRefNumber(dirs: GitDirs, prefix: string): number {
  let max = 0;
  try {
    for (const name of readdirSync(path.join(dirs.commonDir, prefix))) {
      const n = /^(\d+)$/.exec(name)?.[1];
      if (n) max = Math.max(max, Number(n));
    }
  } catch {
    // No loose refs there yet.
  }
  const packed = read(path.join(dirs.commonDir, 'packed-refs')) ?? '';
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const m of packed.matchAll(new RegExp(` ${escaped}(\\d+)$`, 'gm'))) max = Math.max(max, Number(m[1]));
  return max;
}
