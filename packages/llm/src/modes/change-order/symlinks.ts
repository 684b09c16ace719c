import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';

export interface PathOnDisk {
  /** `file`, `directory`, `absent`, or `other` (a socket, a device). */
  kind: 'file' | 'directory' | 'absent' | 'other';
  /** Why the path cannot be edited because of a symlink on it, when one is. */
  symlink?: string;
}

/**
 * What is at `rel` inside `codeRoot`, walking each segment with lstat so that no symlink is
 * followed. A symlink anywhere on the path makes it uneditable: writing through it would change
 * a file the contract check never saw (and may lie outside the workspace). The reason says
 * where the link points and whether that is outside.
 */
export function inspectPath(codeRoot: string, rel: string): PathOnDisk {
  const rootReal = realpathSync(codeRoot);
  let current = codeRoot;
  const segments = rel.split('/');
  for (let i = 0; i < segments.length; i++) {
    current = path.join(current, segments[i]);
    let stat;
    try {
      stat = lstatSync(current);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return { kind: 'absent' };
      throw e;
    }
    if (stat.isSymbolicLink()) {
      const shown = segments.slice(0, i + 1).join('/');
      return { kind: 'other', symlink: describeLink(current, shown, rootReal) };
    }
    if (i < segments.length - 1 && !stat.isDirectory()) return { kind: 'other' };
    if (i === segments.length - 1) return { kind: stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : 'other' };
  }
  return { kind: 'absent' };
}

function describeLink(abs: string, shown: string, rootReal: string): string {
  const target = readlinkSync(abs);
  let resolved: string | undefined;
  try {
    resolved = realpathSync(abs);
  } catch {
    resolved = path.resolve(path.dirname(abs), target);
  }
  const rel = path.relative(rootReal, resolved);
  const outside = rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);
  return outside
    ? `${shown} is a symlink to ${target}, outside the workspace (symlink escape)`
    : `${shown} is a symlink (to ${target}); edits never go through symlinks`;
}
