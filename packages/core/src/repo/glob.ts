import picomatch from 'picomatch';
import { err, ok, type Result } from '../domain/errors';
import { normalizePath } from './normalize-path';

export { normalizePath };

/**
 * Glob semantics for contracts, as in the seed: paths relative to the repository root,
 * `*` within one path segment, `**` across segments, case-sensitive. Dotfiles match like
 * any other file (a forbidden `**\/.env` must catch `.env`).
 */
const OPTIONS: picomatch.PicomatchOptions = { dot: true, strictBrackets: true };

/** Checks that a glob is relative, stays inside the repository and compiles. */
export function validateGlob(glob: unknown): Result<string> {
  if (typeof glob !== 'string' || glob.trim() === '') {
    return err(`expected a glob such as "src/**/*.ts", got ${JSON.stringify(glob)}`);
  }
  if (glob.startsWith('/') || /^[A-Za-z]:[\\/]/.test(glob)) {
    return err(`expected a glob relative to the repository root, got the absolute path ${JSON.stringify(glob)}`);
  }
  if (glob.split('/').includes('..')) {
    return err(`expected a glob inside the repository, got ${JSON.stringify(glob)} (it leaves it with "..")`);
  }
  if (glob.startsWith('!')) {
    return err(`expected a positive glob (use forbidden_files to exclude), got ${JSON.stringify(glob)}`);
  }
  try {
    picomatch.makeRe(glob, OPTIONS);
  } catch (e) {
    return err(`expected a valid glob, got ${JSON.stringify(glob)}: ${(e as Error).message}`);
  }
  return ok(glob);
}

export type PathMatcher = (path: string) => boolean;

/**
 * Compiles globs once into one matcher. An empty list matches nothing.
 * Paths are normalised to forward slashes without a leading `./`.
 */
export function compileGlobs(globs: readonly string[]): PathMatcher {
  if (globs.length === 0) return () => false;
  const m = picomatch(globs as string[], OPTIONS);
  return (path) => m(normalizePath(path));
}

/** The seed's `file_matches_pattern`. */
export function fileMatchesPattern(path: string, glob: string): boolean {
  return compileGlobs([glob])(path);
}

/** The static directory a glob starts from (`packages/app/**` → `packages/app`), '' for the root. */
export function globBase(glob: string): string {
  return picomatch.scan(glob).base;
}
