import fs from 'node:fs';
import path from 'node:path';
import { removeTempDirs, tempDir, tempRepo } from './__fixtures__/temp-repo';
import { detectLanguage, findRepoRoot } from './root';

afterEach(removeTempDirs);

describe('findRepoRoot', () => {
  it('finds the git root from a nested directory', () => {
    const repo = tempRepo();
    const nested = path.join(repo.dir, 'a', 'b');
    fs.mkdirSync(nested, { recursive: true });
    expect(findRepoRoot(nested)).toEqual({ root: repo.dir, vcs: 'git', hasGit: true });
  });

  it('starts from the directory of a file', () => {
    const repo = tempRepo();
    repo.write('src/x.ts', '');
    expect(findRepoRoot(path.join(repo.dir, 'src', 'x.ts')).root).toBe(repo.dir);
  });

  it('finds a git worktree, whose .git is a file', () => {
    const repo = tempRepo();
    repo.commitAll();
    const worktree = path.join(tempDir(), 'wt');
    repo.git('worktree', 'add', '-q', worktree);
    fs.mkdirSync(path.join(worktree, 'sub'));
    expect(fs.statSync(path.join(worktree, '.git')).isFile()).toBe(true);
    expect(findRepoRoot(path.join(worktree, 'sub'))).toEqual({ root: worktree, vcs: 'git', hasGit: true });
  });

  it('finds a jj repository by its .jj directory', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, '.jj'));
    fs.mkdirSync(path.join(dir, 'src'));
    expect(findRepoRoot(path.join(dir, 'src'))).toEqual({ root: dir, vcs: 'jj', hasGit: false });
  });

  it('reports jj with hasGit when .jj and .git sit together (colocated)', () => {
    const repo = tempRepo();
    fs.mkdirSync(path.join(repo.dir, '.jj'));
    expect(findRepoRoot(repo.dir)).toEqual({ root: repo.dir, vcs: 'jj', hasGit: true });
  });

  it('ignores a .jj that is a file', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, '.jj'), '');
    expect(() => findRepoRoot(dir)).toThrow(`expected ${dir} to be inside a git or jj repository`);
  });

  it('throws a VCS error naming the start when no repository is found', () => {
    const dir = tempDir();
    expect(() => findRepoRoot(dir)).toThrow(expect.objectContaining({ code: 'VCS', message: expect.stringContaining(dir) }));
  });

  it('throws a VCS error when the start does not exist', () => {
    const missing = path.join(tempDir(), 'missing');
    expect(() => findRepoRoot(missing)).toThrow(`got ${missing} (it does not exist)`);
  });
});

describe('detectLanguage', () => {
  it('detects the language from manifests directly in the directory', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'go.mod'), 'module x\n');
    fs.mkdirSync(path.join(dir, 'web'));
    fs.writeFileSync(path.join(dir, 'web', 'package.json'), '{}');
    expect(detectLanguage(dir)).toEqual({ ok: true, value: 'go' });
  });

  it('returns an error when no manifest is present', () => {
    const r = detectLanguage(tempDir());
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toContain('no manifest file found');
  });

  it('returns an error naming a directory that cannot be read', () => {
    const missing = path.join(tempDir(), 'missing');
    const r = detectLanguage(missing);
    expect(!r.ok && r.error).toContain(`could not read the directory ${missing}`);
  });
});
