import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { removeTempDirs, tempDir, tempRepo, type TempRepo } from '../repo/__fixtures__/temp-repo';
import { copyIndex, copyIndexWithout } from './index-copy';

afterEach(removeTempDirs);

/** A repository whose .factory/ is committed, beside code in nested folders, with a cache tree in its index. */
function repoWithState(format: 'sha1' | 'sha256' = 'sha1'): TempRepo {
  const dir = tempDir();
  // An empty repository made in the other format stays in it when tempRepo initialises it again.
  if (format === 'sha256') execFileSync('git', ['init', '-q', '--object-format=sha256', dir]);
  const repo = tempRepo(dir);
  repo.write('src/a.ts', 'a\n');
  repo.write('src/deep/b.ts', 'b\n');
  repo.write('.factory/config.yaml', 'x: 1\n');
  repo.write('.factory/t-1/contract.yaml', 'language: go\n');
  repo.write('.factoryish/keep.txt', 'not the state folder\n');
  repo.write('z.txt', 'z\n');
  repo.commitAll('init');
  repo.git('write-tree'); // fills the cache tree
  return repo;
}

/** git in the repository with a private index. */
const gitWith = (repo: TempRepo, index: string, ...args: string[]) =>
  execFileSync('git', args, { cwd: repo.dir, env: { ...process.env, GIT_INDEX_FILE: index }, encoding: 'utf8' }).trim();

/** The tree git gives for the working tree without .factory, taken as it was before: add everything, then remove. */
function treeByGit(repo: TempRepo, scratch: string): string {
  copyIndex(path.join(repo.dir, '.git/index'), scratch);
  gitWith(repo, scratch, 'add', '-A', '--', ':/');
  gitWith(repo, scratch, 'rm', '-r', '-q', '--cached', '--ignore-unmatch', '--', ':(top,literal).factory');
  return gitWith(repo, scratch, 'write-tree');
}

/** The files of copyIndexWithout's copy, and its tree with .factory kept out of `git add`. */
function treeFromCopy(repo: TempRepo, copy: string): { tree: string; files: string[] } {
  const files = gitWith(repo, copy, 'ls-files').split('\n');
  gitWith(repo, copy, 'add', '-A', '--', ':/', ':(exclude,top,literal).factory');
  return { tree: gitWith(repo, copy, 'write-tree'), files };
}

describe('copyIndexWithout', () => {
  it.each([
    ['version 2 (the default)', 'sha1'],
    ['version 3 (an intent-to-add entry has extended flags)', 'sha1'],
    ['a sha256 repository', 'sha256'],
  ] as const)('leaves .factory out of %s, git reads the copy, and the tree is the one git gives', (what, format) => {
    const repo = repoWithState(format);
    if (what.includes('version 3')) {
      repo.write('src/planned.ts', 'p\n');
      repo.git('add', '-N', 'src/planned.ts');
      expect(readFileSync(path.join(repo.dir, '.git/index')).readUInt32BE(4)).toBe(3);
    }
    repo.write('src/a.ts', 'changed\n');
    repo.write('untracked.ts', 'u\n');
    repo.write('.factory/t-1/status.yaml', 'status: ready\n');
    const scratch = tempDir();
    const copy = path.join(scratch, 'copy');
    expect(copyIndexWithout(path.join(repo.dir, '.git/index'), copy, ['.factory'])).toBe(true);
    // The copy keeps the index's time (1 ms earlier), so git's racy-clean check still holds.
    expect(statSync(copy).mtimeMs).toBeLessThan(statSync(path.join(repo.dir, '.git/index')).mtimeMs);
    const fromCopy = treeFromCopy(repo, copy);
    expect(fromCopy.files).toContain('.factoryish/keep.txt');
    expect(fromCopy.files.filter((f) => f.startsWith('.factory/'))).toEqual([]);
    expect(fromCopy.tree).toBe(treeByGit(repo, path.join(scratch, 'by-git')));
  });

  it('copies an index with nothing to leave out as it is, and a missing index as none', () => {
    const repo = tempRepo();
    repo.write('a.txt', 'a\n');
    repo.commitAll();
    const scratch = tempDir();
    const index = path.join(repo.dir, '.git/index');
    expect(copyIndexWithout(index, path.join(scratch, 'copy'), ['.factory'])).toBe(true);
    expect(readFileSync(path.join(scratch, 'copy')).equals(readFileSync(index))).toBe(true);
    expect(copyIndexWithout(path.join(scratch, 'absent'), path.join(scratch, 'none'), ['.factory'])).toBe(true);
    expect(() => statSync(path.join(scratch, 'none'))).toThrow();
  });

  it.each([
    ['version 4 (prefix-compressed paths)', 'update-index --index-version 4'],
    // Its own file holds only the entries changed since the shared index: .factory's are elsewhere.
    ['a split index', 'update-index --split-index'],
  ])('declines %s, writing nothing, so that git removes the entries itself', (_what, change) => {
    const repo = repoWithState();
    repo.git(...change.split(' '));
    repo.write('src/a.ts', 'changed again\n');
    repo.git('add', 'src/a.ts');
    const scratch = tempDir();
    expect(copyIndexWithout(path.join(repo.dir, '.git/index'), path.join(scratch, 'copy'), ['.factory'])).toBe(false);
    expect(() => statSync(path.join(scratch, 'copy'))).toThrow();
  });

  it('declines an index written without its checksum (index.skipHash) or cut short', () => {
    const repo = repoWithState();
    const scratch = tempDir();
    const index = readFileSync(path.join(repo.dir, '.git/index'));
    const zeroed = Buffer.concat([index.subarray(0, index.length - 20), Buffer.alloc(20)]);
    writeFileSync(path.join(scratch, 'skiphash'), zeroed);
    expect(copyIndexWithout(path.join(scratch, 'skiphash'), path.join(scratch, 'copy'), ['.factory'])).toBe(false);
    writeFileSync(path.join(scratch, 'short'), index.subarray(0, 40));
    expect(copyIndexWithout(path.join(scratch, 'short'), path.join(scratch, 'copy'), ['.factory'])).toBe(false);
    expect(() => statSync(path.join(scratch, 'copy'))).toThrow();
  });
});
