import { readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';

/** How detection reads files (repository-relative paths): the disk, or a generator's virtual tree. */
export interface FileReader {
  kind(rel: string): 'file' | 'dir' | 'other' | undefined;
  read(rel: string): string | undefined;
  list(rel: string): string[];
}

/**
 * The disk under `root`. A file's kind is answered from its directory's listing, read once:
 * detection asks after dozens of configuration files that are mostly absent, and one listing
 * costs less than their stats (see docs/benchmarks.md). For one detection: a later change to
 * the directories is not seen.
 */
export function diskReader(root: string): FileReader {
  const abs = (rel: string) => path.join(root, rel);
  const listings = new Map<string, Map<string, Dirent> | undefined>();
  const listing = (dir: string) => {
    if (!listings.has(dir)) {
      try {
        listings.set(dir, new Map(readdirSync(abs(dir), { withFileTypes: true }).map((d) => [d.name, d])));
      } catch {
        listings.set(dir, undefined); // absent, not a directory, not readable
      }
    }
    return listings.get(dir);
  };
  return {
    kind(rel) {
      const name = path.basename(rel);
      const entry = name && name !== '.' && name !== '..' ? listing(path.dirname(rel))?.get(name) : undefined;
      if (!entry) {
        if (name && name !== '.' && name !== '..') return undefined;
      } else if (!entry.isSymbolicLink()) {
        return entry.isFile() ? 'file' : entry.isDirectory() ? 'dir' : 'other';
      }
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
      return [...(listing(rel === '' ? '.' : rel)?.keys() ?? [])];
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

  /**
   * Watches a file whether or not it exists: one that may appear and change what the tools do
   * (a pytest.ini above the project, which pytest finds by searching upward).
   */
  watch(rel: string): void {
    this.seen.add(rel);
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
