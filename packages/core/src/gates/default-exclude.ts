import { normalizePath } from '../repo/normalize-path';
import type { PathMatcher } from '../repo/glob';
import { DEFAULT_LINE_BUDGET_EXCLUDE, LOCKFILES } from './line-budget';

/**
 * `DEFAULT_LINE_BUDGET_EXCLUDE` compiled ahead of time, for `factory show`, which counts the lines
 * changed on every call: picomatch would cost it ~7 ms each time (loading it, then compiling 33
 * globs cold), which is a tenth of its whole budget above Node's start. Split as `compileGlobSet`
 * splits globs: a `**\/<name>` glob is tested on the file name alone (a literal name by set
 * lookup, a pattern by picomatch's regular expression for the name); any other glob on the whole
 * path. The expressions are picomatch's own, with repo/glob.ts's options: default-exclude.spec.ts
 * checks that this is exactly what picomatch makes of the list (and prints what it should be when
 * the list changes), and that paths match as with `compileGlobs`.
 */
export const DEFAULT_EXCLUDE_COMPILED: {
  names: ReadonlySet<string>;
  namePatterns: readonly RegExp[];
  pathPatterns: readonly RegExp[];
} = {
  names: new Set(LOCKFILES),
  namePatterns: [
    // *.min.js
    /^(?:(?!(?:^|\/)\.{1,2}(?:\/|$))(?=.)[^/]*?\.min\.js\/?)$/,
    // *.min.css
    /^(?:(?!(?:^|\/)\.{1,2}(?:\/|$))(?=.)[^/]*?\.min\.css\/?)$/,
    // *.map
    /^(?:(?!(?:^|\/)\.{1,2}(?:\/|$))(?=.)[^/]*?\.map\/?)$/,
    // *.snap
    /^(?:(?!(?:^|\/)\.{1,2}(?:\/|$))(?=.)[^/]*?\.snap\/?)$/,
    // *.pb.go
    /^(?:(?!(?:^|\/)\.{1,2}(?:\/|$))(?=.)[^/]*?\.pb\.go\/?)$/,
    // *.pb.gw.go
    /^(?:(?!(?:^|\/)\.{1,2}(?:\/|$))(?=.)[^/]*?\.pb\.gw\.go\/?)$/,
    // *_grpc.pb.go
    /^(?:(?!\.{1,2}(?:\/|$))(?=.)[^/]*?_grpc\.pb\.go)$/,
    // zz_generated.*.go
    /^(?:^(?:zz_generated\.[^/]*?\.go)$)$/,
    // *_pb2.py
    /^(?:(?!\.{1,2}(?:\/|$))(?=.)[^/]*?_pb2\.py)$/,
    // *_pb2.pyi
    /^(?:(?!\.{1,2}(?:\/|$))(?=.)[^/]*?_pb2\.pyi)$/,
    // *_pb2_grpc.py
    /^(?:(?!\.{1,2}(?:\/|$))(?=.)[^/]*?_pb2_grpc\.py)$/,
    // *.pb.cc
    /^(?:(?!(?:^|\/)\.{1,2}(?:\/|$))(?=.)[^/]*?\.pb\.cc\/?)$/,
    // *.pb.h
    /^(?:(?!(?:^|\/)\.{1,2}(?:\/|$))(?=.)[^/]*?\.pb\.h\/?)$/,
    // *_pb.js
    /^(?:(?!\.{1,2}(?:\/|$))(?=.)[^/]*?_pb\.js)$/,
    // *_pb.d.ts
    /^(?:(?!\.{1,2}(?:\/|$))(?=.)[^/]*?_pb\.d\.ts)$/,
    // *_grpc_pb.js
    /^(?:(?!\.{1,2}(?:\/|$))(?=.)[^/]*?_grpc_pb\.js)$/,
    // *.generated.*
    /^(?:(?!\.{1,2}(?:\/|$))(?=.)[^/]*?\.generated\.[^/]*?\/?)$/,
  ],
  pathPatterns: [
    // **/__generated__/**
    /^(?:(?:^|\/|(?:(?:(?!(?:^|\/)\.{1,2}(?:\/|$)).)*?)\/)__generated__(?:\/(?!\.{1,2}(?:\/|$))(?:(?:(?!(?:^|\/)\.{1,2}(?:\/|$)).)*?)|$))$/,
  ],
};

const GLOBS = new Set(DEFAULT_LINE_BUDGET_EXCLUDE);

/**
 * Whether `DEFAULT_LINE_BUDGET_EXCLUDE` matches the repository path, as `compileGlobs` would say,
 * without picomatch. A path equal to a glob matches it, as in picomatch.
 */
export const excludedByDefault: PathMatcher = (path) => {
  const p = normalizePath(path);
  const name = p.slice(p.lastIndexOf('/') + 1);
  const { names, namePatterns, pathPatterns } = DEFAULT_EXCLUDE_COMPILED;
  return GLOBS.has(p) || names.has(name) || namePatterns.some((re) => re.test(name)) || pathPatterns.some((re) => re.test(p));
};
