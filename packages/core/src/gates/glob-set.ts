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
/** A directory a glob starts from that can be looked up as it is (no escapes, no magic). */
const PLAIN_BASE = /^[^\\*?[\]{}()!+@]+$/;

const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1);
const union = (regexes: RegExp[]) => (regexes.length === 0 ? undefined : new RegExp(regexes.map((r) => `(?:${r.source})`).join('|')));

interface Compiled {
  glob: string;
  onName: boolean;
  re: RegExp;
}

/** The static directory a path glob starts from, or '' when it cannot be looked up as it is. */
function lookupBase(glob: string): string {
  const base = picomatch.scan(glob).base;
  return base !== '' && PLAIN_BASE.test(base) && !base.endsWith('/') ? base : '';
}

/**
 * Path globs grouped by the directory they start from: a path is only tested against the
 * groups whose directory is the path itself or one of its parents (and the group of globs
 * without one), so 50 globs for 50 packages cost one regular expression per path, not 50.
 */
function pathMatcher(compiled: readonly Compiled[]): ((p: string) => boolean) | undefined {
  if (compiled.length === 0) return undefined;
  const groups = new Map<string, RegExp[]>();
  for (const c of compiled) {
    const base = lookupBase(c.glob);
    groups.set(base, [...(groups.get(base) ?? []), c.re]);
  }
  const byBase = new Map([...groups].map(([base, res]) => [base, union(res) as RegExp]));
  const anywhere = byBase.get('');
  byBase.delete('');
  if (byBase.size === 0) return (p) => (anywhere as RegExp).test(p);
  return (p) => {
    if (anywhere?.test(p)) return true;
    for (let i = p.indexOf('/'); i >= 0; i = p.indexOf('/', i + 1)) {
      if (byBase.get(p.slice(0, i))?.test(p)) return true;
    }
    return byBase.get(p)?.test(p) ?? false;
  };
}

/** Name globs: literal names (`**\/go.sum`) by set lookup, the others as one regular expression. */
function nameMatcher(compiled: readonly Compiled[]): ((name: string) => boolean) | undefined {
  if (compiled.length === 0) return undefined;
  const literal = new Set<string>();
  const patterned: RegExp[] = [];
  for (const c of compiled) {
    const name = c.glob.slice(3);
    if (picomatch.scan(name).isGlob || name.includes('\\')) patterned.push(c.re);
    else literal.add(name);
  }
  const re = union(patterned);
  return (name) => literal.has(name) || (re !== undefined && re.test(name));
}

/**
 * Compiles globs once for checking thousands of paths: globs like `**\/*.min.js` are tested on
 * the file name alone (literal names by set lookup), every other glob on the whole path, grouped
 * by the directory it starts from. Matches what `compileGlobs` matches (including picomatch's
 * literal `path === glob` rule) for repository paths, which never hold `.` or `..` segments.
 * Negated globs (invalid in contracts) fall back to `compileGlobs`.
 */
export function compileGlobSet(globs: readonly string[]): GlobSet {
  if (globs.length === 0) return { matches: () => false, firstMatch: () => undefined };
  if (globs.some((g) => g.startsWith('!'))) {
    const each = globs.map((glob) => ({ glob, match: compileGlobs([glob]) }));
    return { matches: compileGlobs(globs), firstMatch: (p) => each.find((e) => e.match(p))?.glob };
  }
  const compiled: Compiled[] = globs.map((glob) => {
    const onName = BASENAME_GLOB.test(glob);
    return { glob, onName, re: picomatch.makeRe(onName ? glob.slice(3) : glob, OPTIONS) };
  });
  const literal = new Set(globs);
  const onName = nameMatcher(compiled.filter((c) => c.onName));
  const onPath = pathMatcher(compiled.filter((c) => !c.onName));
  const test = (p: string) => literal.has(p) || (onPath !== undefined && onPath(p)) || (onName !== undefined && onName(basename(p)));
  return {
    matches: (path) => test(normalizePath(path)),
    firstMatch(path) {
      const p = normalizePath(path);
      if (!test(p)) return undefined;
      return compiled.find((c) => c.glob === p || c.re.test(c.onName ? basename(p) : p))?.glob;
    },
  };
}
