import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

/** A CommonJS file compiled with V8's code cache: its module wrapper, and whether the cache was used. */
export interface CachedCompile {
  /** `(exports, require, module, __filename, __dirname) => …`, as Node's own loader calls it. */
  wrapper: (...args: unknown[]) => unknown;
  /** True when V8 took the code from the cache file instead of compiling the source. */
  fromCache: boolean;
  /** Writes the cache file for this source (when it had none, or V8 refused it); never throws. */
  save: () => void;
}

/**
 * Compiles a CommonJS file's source with V8's code cache kept in `cacheDir`. The cache file is
 * named `<digest of the file name>-<digest of the source, the file name, Node's version and the
 * architecture>.v8`: V8 itself checks only the source's length, so a cache is never used for other
 * content. `save` after the code ran stores the functions compiled so far as well, and removes
 * what can no longer be used (see `pruneCompileCache`). A missing, unreadable or refused cache
 * file only means compiling as usual. The file must not `import()`: on Node 20 a script compiled
 * from a code cache has no dynamic import callback ("A dynamic import callback was not
 * specified"), so build.mjs refuses a runner bundle that keeps one.
 */
export function compileWithCache(source: string, filename: string, cacheDir: string): CachedCompile {
  const place = createHash('sha1').update(filename).digest('hex').slice(0, 16);
  const key = createHash('sha1').update(`${process.version}\0${process.arch}\0${filename}\0`).update(source).digest('hex');
  const file = path.join(cacheDir, `${place}-${key}.v8`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(file);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename, cachedData });
  const fromCache = cachedData !== undefined && !script.cachedDataRejected;
  return {
    wrapper: script.runInThisContext({ displayErrors: true }) as CachedCompile['wrapper'],
    fromCache,
    save: () => {
      if (fromCache) return;
      const tmp = `${file}.${process.pid}.tmp`;
      try {
        // A new name, then a rename: a stage starting meanwhile reads a whole file or none.
        writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
        renameSync(tmp, file);
        pruneCompileCache(cacheDir, path.basename(file));
      } catch {
        try {
          rmSync(tmp, { force: true });
        } catch {
          // Nothing was written (the directory is not one).
        }
      }
    },
  };
}

/** How long a cache file (or a temporary file left by a killed process) is kept without being rewritten. */
const KEPT_MS = 30 * 24 * 3600 * 1000;

/**
 * Removes the cache files that can no longer be used, so that the directory does not grow with
 * every build, clone and temporary workspace: other caches of the same file (an earlier build of
 * it), files in an earlier naming, and any file untouched for 30 days (its workspace is likely
 * gone; if not, it is compiled and cached again once). Runs only when a cache file was written.
 * Never throws.
 */
function pruneCompileCache(cacheDir: string, written: string): void {
  const now = Date.now();
  const place = `${written.split('-')[0]}-`;
  let names: string[];
  try {
    names = readdirSync(cacheDir);
  } catch {
    return;
  }
  for (const name of names) {
    if (name === written) continue;
    try {
      const stale =
        (name.startsWith(place) && name.endsWith('.v8')) ||
        /^[0-9a-f]{40}\.v8$/.test(name) ||
        now - statSync(path.join(cacheDir, name)).mtimeMs > KEPT_MS;
      if (stale) rmSync(path.join(cacheDir, name), { force: true });
    } catch {
      // Gone meanwhile, or not ours to remove.
    }
  }
}

interface LoadableModule {
  exports: unknown;
  require: (id: string) => unknown;
}
type ModuleInternals = typeof Module & {
  _resolveFilename: (request: string, parent: unknown, isMain: boolean, options?: unknown) => string;
  _cache: unknown;
  _extensions: unknown;
};

/**
 * Makes this process compile the `.cjs` files of `dir` (the stage runner's bundles) with a code
 * cache in `cacheDir`, writing the caches it lacked when the process exits. On Node ≥ 22.1 that is
 * Node's own `module.enableCompileCache`; before it, the same done by Factory's loader for those
 * files only (everything else loads as usual). Why it pays: docs/benchmarks.md, "Time to verdict".
 */
export function enableBundleCompileCache(dir: string, cacheDir: string): void {
  const nodeCache = (Module as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;
  if (typeof nodeCache === 'function') {
    nodeCache(cacheDir);
    return;
  }
  const internals = Module as ModuleInternals;
  const proto = Module.prototype as unknown as { _compile: (this: LoadableModule, source: string, filename: string) => unknown };
  const compile = proto._compile;
  const unsaved: CachedCompile[] = [];
  proto._compile = function (source, filename) {
    if (path.dirname(filename) !== dir || !filename.endsWith('.cjs')) return compile.call(this, source, filename);
    const compiled = compileWithCache(source, filename, cacheDir);
    if (!compiled.fromCache) unsaved.push(compiled);
    const req = Object.assign((id: string) => this.require(id), {
      resolve: (request: string, options?: unknown) => internals._resolveFilename(request, this, false, options),
      cache: internals._cache,
      extensions: internals._extensions,
    });
    return compiled.wrapper.call(this.exports, this.exports, req, this, filename, path.dirname(filename));
  };
  process.once('exit', () => {
    for (const c of unsaved) c.save();
  });
}
