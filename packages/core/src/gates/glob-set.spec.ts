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
