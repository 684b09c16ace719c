import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** How detection reads files (repository-relative paths): the disk, or a generator's virtual tree. */
export interface FileReader {
  kind(rel: string): 'file' | 'dir' | 'other' | undefined;
  read(rel: string): string | undefined;
  list(rel: string): string[];
}

/** The disk under `root`. */
export function diskReader(root: string): FileReader {
  const abs = (rel: string) => path.join(root, rel);
  return {
    kind(rel) {
      try {
        const st = statSync(abs(rel), { throwIfNoEntry: false });
        return st === undefined ? undefined : st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
      } catch {
        return undefined; // ENOTDIR, EACCES: nothing detection can use
      }
    },
    read(rel) {
      try {
        return readFileSync(abs(rel), 'utf8');
      } catch {
        return undefined;
      }
    },
    list(rel) {
      try {
        return readdirSync(abs(rel));
      } catch {
        return [];
      }
    },
  };
}

/** Small synchronous file questions, relative to the repository root, for detection. */
export class ProjectFiles {
  private readonly seen = new Set<string>();
  constructor(
    readonly root: string,
    private readonly io: FileReader = diskReader(root),
  ) {}

  /** Every file detection found and used (repository-relative): what its answer depends on besides the allowed files. */
  get watched(): string[] {
    return [...this.seen].sort();
  }

  isFile(rel: string): boolean {
    const yes = this.io.kind(rel) === 'file';
    if (yes) this.seen.add(rel);
    return yes;
  }

  isDir(rel: string): boolean {
    return rel === '.' || this.io.kind(rel) === 'dir';
  }

  /** Something installed under node_modules (not watched: installed tools are not in git). */
  hasBin(rel: string): boolean {
    return this.io.kind(rel) !== undefined;
  }

  text(rel: string): string | undefined {
    const t = this.io.read(rel);
    if (t !== undefined) this.seen.add(rel);
    return t;
  }

  /** Names in a directory (empty when it is not one). */
  list(rel: string): string[] {
    return this.io.list(rel === '.' ? '' : rel);
  }

  /** The first of `names` present in `dir`, as a repository-relative path. */
  first(dir: string, names: readonly string[]): string | undefined {
    for (const n of names) {
      const p = join(dir, n);
      if (this.isFile(p)) return p;
    }
    return undefined;
  }

  /** The first of `names` in `dir` or a directory above it, up to the root (as tools look for their configuration). */
  upward(dir: string, names: readonly string[]): string | undefined {
    for (let d = dir; ; d = parent(d)) {
      const f = this.first(d, names);
      if (f || d === '.') return f;
    }
  }
}

/** `a/b` joined with `c`, POSIX, `.` for the root. */
export const join = (dir: string, name: string): string => (dir === '.' || dir === '' ? name : `${dir}/${name}`);
export const parent = (dir: string): string => {
  const i = dir.lastIndexOf('/');
  return i < 0 ? '.' : dir.slice(0, i);
};
