import picomatch from 'picomatch';
import { compileGlobs, normalizePath, type PathMatcher } from '../repo/glob';

/** The options of `repo/glob.ts`, so both match the same paths. */
const OPTIONS: picomatch.PicomatchOptions = { dot: true, strictBrackets: true };

export interface GlobSet {
  /** Whether any glob matches the path. */
  matches: PathMatcher;
  /** The first glob (in list order) that matches the path, if any. */
  firstMatch(path: string): string | undefined;
}

/** `**\/name-pattern` with no further `/`: matches on the last path segment alone. */
const BASENAME_GLOB = /^\*\*\/[^/]+$/;

const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1);
const union = (regexes: RegExp[]) =>
  regexes.length === 0 ? undefined : new RegExp(regexes.map((r) => `(?:${r.source})`).join('|'));

/**
 * Compiles globs once into at most two regular expressions, for checking thousands of paths:
 * one alternation of picomatch's regexes for globs like `**\/*.min.js` tested on the file name
 * alone, and one for every other glob tested on the whole path. Matches what `compileGlobs`
 * matches (including picomatch's literal `path === glob` rule) for repository paths, which never
 * hold `.` or `..` segments. Negated globs (invalid in contracts) fall back to `compileGlobs`.
 */
export function compileGlobSet(globs: readonly string[]): GlobSet {
  if (globs.length === 0) return { matches: () => false, firstMatch: () => undefined };
  if (globs.some((g) => g.startsWith('!'))) {
    const each = globs.map((glob) => ({ glob, match: compileGlobs([glob]) }));
    return { matches: compileGlobs(globs), firstMatch: (p) => each.find((e) => e.match(p))?.glob };
  }
  const compiled = globs.map((glob) => {
    const onName = BASENAME_GLOB.test(glob);
    return { glob, onName, re: picomatch.makeRe(onName ? glob.slice(3) : glob, OPTIONS) };
  });
  const literal = new Set(globs);
  const onName = union(compiled.filter((c) => c.onName).map((c) => c.re));
  const onPath = union(compiled.filter((c) => !c.onName).map((c) => c.re));
  const test = (p: string) =>
    literal.has(p) || (onPath !== undefined && onPath.test(p)) || (onName !== undefined && onName.test(basename(p)));
  return {
    matches: (path) => test(normalizePath(path)),
    firstMatch(path) {
      const p = normalizePath(path);
      if (!test(p)) return undefined;
      return compiled.find((c) => c.glob === p || c.re.test(c.onName ? basename(p) : p))?.glob;
    },
  };
}
