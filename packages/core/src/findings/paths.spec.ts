import { repoRelativePath, resolveFindings } from './paths';

const base = { cwd: '/repo/packages/web', root: '/repo' };

describe('repoRelativePath', () => {
  it('resolves a path relative to the working directory', () => {
    expect(repoRelativePath('src/a.ts', base)).toBe('packages/web/src/a.ts');
  });

  it('resolves `./x` and `../x`', () => {
    expect(repoRelativePath('./main.go', base)).toBe('packages/web/main.go');
    expect(repoRelativePath('../api/x.go', base)).toBe('packages/api/x.go');
  });

  it('makes an absolute path inside the repository relative to its root', () => {
    expect(repoRelativePath('/repo/packages/web/src/a.ts', base)).toBe('packages/web/src/a.ts');
  });

  it('accepts backslash separators', () => {
    expect(repoRelativePath('src\\lib\\a.ts', base)).toBe('packages/web/src/lib/a.ts');
  });

  it('returns undefined for a path outside the repository or the root itself', () => {
    expect(repoRelativePath('/usr/lib/go-1.19/src/fmt/print.go', base)).toBeUndefined();
    expect(repoRelativePath('../../../elsewhere/a.ts', base)).toBeUndefined();
    expect(repoRelativePath('/repository-next-door/a.ts', base)).toBeUndefined();
    expect(repoRelativePath('../..', base)).toBeUndefined();
  });

  it('keeps a name that merely starts with two dots inside the repository', () => {
    expect(repoRelativePath('..hidden/a.ts', { cwd: '/repo', root: '/repo' })).toBe('..hidden/a.ts');
  });
});

describe('resolveFindings', () => {
  it('makes files repository-relative and keeps those outside absolute', () => {
    expect(
      resolveFindings(
        [
          { file: 'src/a.ts', line: 3, message: 'm' },
          { file: '/opt/sdk/lib.d.ts', line: 1, message: 'n' },
        ],
        base,
      ),
    ).toEqual([
      { file: 'packages/web/src/a.ts', line: 3, message: 'm' },
      { file: '/opt/sdk/lib.d.ts', line: 1, message: 'n' },
    ]);
  });
});
