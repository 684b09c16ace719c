import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

// Each case runs in a process of its own, as the stage runner does: within one process V8 answers
// a second compilation of the same source from memory, and jest replaces Node's module loader.
describe('the stage runner bundles’ compile cache', () => {
  let dir: string;
  let lib: string;
  let cache: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'factory-compile-cache-spec-'));
    lib = path.join(dir, 'compile-cache.cjs');
    cache = path.join(dir, 'cache');
    mkdirSync(cache);
    buildSync({
      entryPoints: [path.join(path.dirname(fileURLToPath(import.meta.url)), 'compile-cache.ts')],
      outfile: lib,
      platform: 'node',
      format: 'cjs',
      logLevel: 'silent',
    });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const node = (script: string) => execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim();
  /** Compiles `source` as /bundles/x.cjs with the cache, runs it, saves: prints "<fromCache> <answer>". */
  const compile = (source: string, cacheDir = cache) =>
    node(
      `const c = require(${JSON.stringify(lib)}).compileWithCache(${JSON.stringify(source)}, '/bundles/x.cjs', ${JSON.stringify(cacheDir)});
       const m = { exports: {} };
       c.wrapper.call(m.exports, m.exports, require, m, '/bundles/x.cjs', '/bundles');
       c.save();
       console.log(c.fromCache, m.exports.answer());`,
    );
  const source = (value: string) => `exports.answer = function answer() { return ${JSON.stringify(value)}; };\n`;

  it('compiles without a cache file, then uses the one save wrote', () => {
    expect(compile(source('one'))).toBe('false one');
    expect(readdirSync(cache)).toEqual([expect.stringMatching(/^[0-9a-f]{16}-[0-9a-f]{40}\.v8$/)]);
    expect(compile(source('one'))).toBe('true one');
  });

  it('never uses a cache for other content of the same length (V8 checks only the length)', () => {
    expect(compile(source('one'))).toBe('false one');
    expect(compile(source('two'))).toBe('false two');
    expect(compile(source('two'))).toBe('true two');
    // The file's earlier build was removed when its new cache was written.
    expect(readdirSync(cache)).toHaveLength(1);
    expect(compile(source('one'))).toBe('false one');
  });

  it('keeps the directory from growing: an earlier build of the same file, the earlier naming and month-old files go when a cache is written', () => {
    const old = new Date(Date.now() - 31 * 24 * 3600 * 1000);
    const put = (name: string, mtime?: Date) => {
      writeFileSync(path.join(cache, name), 'x');
      if (mtime) utimesSync(path.join(cache, name), mtime, mtime);
    };
    put(`${'a'.repeat(40)}.v8`); // the naming before this one
    put(`${'b'.repeat(16)}-${'c'.repeat(40)}.v8`); // another bundle, in use
    put(`${'d'.repeat(16)}-${'e'.repeat(40)}.v8`, old); // another bundle, untouched for a month
    put(`${'f'.repeat(16)}-${'0'.repeat(40)}.v8.123.tmp`, old); // left by a killed process
    expect(compile(source('one'))).toBe('false one');
    const [mine] = readdirSync(cache).filter((f) => !/^[a-f]{16}-|^a{40}/.test(f));
    expect(readdirSync(cache).sort()).toEqual([`${'b'.repeat(16)}-${'c'.repeat(40)}.v8`, mine].sort());
    // Taken from the cache: nothing is written, so nothing is pruned.
    put(`${'a'.repeat(40)}.v8`);
    expect(compile(source('one'))).toBe('true one');
    expect(readdirSync(cache)).toContain(`${'a'.repeat(40)}.v8`);
  });

  it('compiles as usual when the cache file is damaged, and writes a good one', () => {
    compile(source('one'));
    const [file] = readdirSync(cache);
    writeFileSync(path.join(cache, file), 'not a code cache');
    expect(compile(source('one'))).toBe('false one');
    expect(compile(source('one'))).toBe('true one');
  });

  it('compiles as usual when the cache directory is missing or cannot be written', () => {
    expect(compile(source('one'), path.join(dir, 'missing'))).toBe('false one');
    writeFileSync(path.join(dir, 'a-file'), '');
    expect(compile(source('one'), path.join(dir, 'a-file'))).toBe('false one');
  });

  it("enableBundleCompileCache caches the directory's .cjs files on exit, loads them from the cache next time, leaves other files alone", () => {
    const bundles = path.join(dir, 'bundles');
    mkdirSync(bundles);
    writeFileSync(path.join(bundles, 'a.cjs'), "exports.v = require('./b.cjs').v + require.resolve('./b.cjs').length;\n");
    writeFileSync(path.join(bundles, 'b.cjs'), 'exports.v = 41;\n');
    writeFileSync(path.join(bundles, 'c.js'), 'exports.v = 1;\n');
    const run = () =>
      node(
        `require(${JSON.stringify(lib)}).enableBundleCompileCache(${JSON.stringify(bundles)}, ${JSON.stringify(cache)});
         console.log(require(${JSON.stringify(path.join(bundles, 'a.cjs'))}).v + require(${JSON.stringify(path.join(bundles, 'c.js'))}).v);`,
      );
    const expected = String(41 + path.join(bundles, 'b.cjs').length + 1);
    expect(run()).toBe(expected);
    const written = () => readdirSync(cache).map((f) => `${f} ${statSync(path.join(cache, f)).mtimeMs}`);
    const first = written();
    expect(first).toHaveLength(2);
    // Taken from the cache: nothing written again.
    expect(run()).toBe(expected);
    expect(written()).toEqual(first);
  });
});
