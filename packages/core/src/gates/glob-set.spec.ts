import { compileGlobs } from '../repo/glob';
import { compileGlobSet } from './glob-set';
import { DEFAULT_LINE_BUDGET_EXCLUDE } from './line-budget';

const GLOBS = [
  ...DEFAULT_LINE_BUDGET_EXCLUDE,
  'packages/app/**',
  'packages/app/src/secret*',
  '**/.env',
  '**/.env.*',
  'src/*.ts',
  'docs/**/*.{md,mdx}',
  'file[1].ts',
  '**/fixtures/**',
  '*.json',
];
const PATHS = [
  'package-lock.json',
  'packages/app/package-lock.json',
  'packages/app/src/secret-config.ts',
  'packages/app/.env',
  '.env',
  '.env.local',
  'src/a.ts',
  'src/deep/a.ts',
  'docs/a/b.mdx',
  'docs/a/b.txt',
  'file[1].ts',
  'file1.ts',
  'a/fixtures/x.json',
  'fixtures/x.txt',
  'web/app.min.js',
  'web/app.min.js.gz',
  'api.pb.go',
  'x/y_pb2.py',
  'schema.generated.ts',
  'src/__generated__/types.ts',
  'a.json',
  'dir/a.json',
  './src/b.ts',
  'README.md',
];

describe('compileGlobSet', () => {
  it('matches exactly what compileGlobs matches, glob by glob and as a set', () => {
    const set = compileGlobSet(GLOBS);
    const all = compileGlobs(GLOBS);
    for (const path of PATHS) {
      expect([path, set.matches(path)]).toEqual([path, all(path)]);
      expect([path, set.firstMatch(path)]).toEqual([path, GLOBS.find((g) => compileGlobs([g])(path))]);
    }
  });

  it('matches what compileGlobs matches on many generated globs and paths (grouped by base directory)', () => {
    const dirs = ['', 'src/', 'src/lib/', 'packages/app/', 'packages/app/src/', '.github/', 'a.b/', 'x/y/z/'];
    const tails = ['**', '*.ts', '**/*.ts', 'index.ts', '*', '**/fixtures/**', '{a,b}.md', '[ab]*.json', 'README.*', 'secret*'];
    const globs = [...new Set(dirs.flatMap((d) => tails.map((t) => `${d}${t}`)))];
    const names = ['index.ts', 'a.md', 'b.json', 'README.md', 'secret-key.ts', 'x.js', '.env', 'fixtures'];
    const paths = dirs
      .flatMap((d) => names.flatMap((n) => [`${d}${n}`, `${d}fixtures/${n}`, `${d}deep/er/${n}`]))
      .concat(['src', 'packages/app', 'x/y']);
    for (let k = 0; k < globs.length; k += 7) {
      const some = globs.slice(k, k + 12);
      const set = compileGlobSet(some);
      const all = compileGlobs(some);
      for (const path of paths) {
        expect([some, path, set.matches(path)]).toEqual([some, path, all(path)]);
        expect([some, path, set.firstMatch(path)]).toEqual([some, path, some.find((g) => compileGlobs([g])(path))]);
      }
    }
  });

  it('names the first matching glob in list order', () => {
    expect(compileGlobSet(['**/*.ts', 'src/**']).firstMatch('src/a.ts')).toBe('**/*.ts');
    expect(compileGlobSet(['src/**', '**/*.ts']).firstMatch('src/a.ts')).toBe('src/**');
  });

  it('matches nothing when empty', () => {
    const set = compileGlobSet([]);
    expect([set.matches('a'), set.firstMatch('a')]).toEqual([false, undefined]);
  });

  it('falls back to compileGlobs for negated globs', () => {
    const set = compileGlobSet(['!src/**']);
    expect([set.matches('src/a.ts'), set.matches('lib/a.ts')]).toEqual([false, true]);
  });
});
