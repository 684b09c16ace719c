import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { codeFingerprint } from './fingerprint';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd, encoding: 'utf8' });

describe('codeFingerprint', () => {
  let repo: string;
  const write = (f: string, c: string) => {
    mkdirSync(path.dirname(path.join(repo, f)), { recursive: true });
    writeFileSync(path.join(repo, f), c);
  };
  beforeEach(() => {
    repo = mkdtempSync(path.join(tmpdir(), 'factory-fp-'));
    git(repo, 'init', '-q');
    write('src/a.ts', 'a\n');
    write('docs/x.md', 'x\n');
    write('.gitignore', 'dist\n');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'init');
  });
  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  it('is stable for an unchanged tree and does not touch the index', async () => {
    const before = git(repo, 'status', '--porcelain');
    write('src/new.ts', 'n\n');
    const a = await codeFingerprint(repo);
    expect(await codeFingerprint(repo)).toBe(a);
    expect(git(repo, 'status', '--porcelain')).toBe(`${before}?? src/new.ts\n`);
  });

  it('changes with an edit, an untracked file and a deletion, and not with an ignored file', async () => {
    const seen = new Set([await codeFingerprint(repo)]);
    write('src/a.ts', 'a2\n');
    seen.add(await codeFingerprint(repo));
    write('src/b.ts', 'b\n');
    seen.add(await codeFingerprint(repo));
    unlinkSync(path.join(repo, 'docs/x.md'));
    const afterDelete = await codeFingerprint(repo);
    seen.add(afterDelete);
    expect(seen.size).toBe(4);
    write('dist/out.js', 'ignored\n');
    expect(await codeFingerprint(repo)).toBe(afterDelete);
  });

  it('is the same whether a change is committed, staged or only in the working tree', async () => {
    write('src/a.ts', 'a2\n');
    const worktree = await codeFingerprint(repo);
    git(repo, 'add', '-A');
    expect(await codeFingerprint(repo)).toBe(worktree);
    git(repo, 'commit', '-qm', 'c');
    expect(await codeFingerprint(repo)).toBe(worktree);
  });

  it('with globs, only sees the files they match', async () => {
    const a = await codeFingerprint(repo, ['src/**']);
    write('docs/y.md', 'y\n');
    expect(await codeFingerprint(repo, ['src/**'])).toBe(a);
    write('src/c.ts', 'c\n');
    expect(await codeFingerprint(repo, ['src/**'])).not.toBe(a);
    expect(await codeFingerprint(repo, ['nowhere/**'])).toBe(await codeFingerprint(repo, ['also-nowhere/*.ts']));
  });
});
