import fs from 'node:fs';
import path from 'node:path';
import { lines, removeTempDirs, tempRepo, type TempRepo } from './__fixtures__/temp-repo';
import { changedFiles } from './changes';

afterEach(removeTempDirs);

/** A repository whose base commit holds a.txt, b.txt, c.txt (5 lines each). */
function withBase(): { repo: TempRepo; base: string } {
  const repo = tempRepo();
  for (const f of ['a.txt', 'b.txt', 'c.txt']) repo.write(f, lines(5));
  return { repo, base: repo.commitAll('base') };
}

describe('changedFiles', () => {
  it('lists committed, staged, unstaged and untracked changes with their line counts', async () => {
    const { repo, base } = withBase();
    repo.write('a.txt', lines(5) + 'committed\n');
    repo.commitAll('after base');
    repo.write('b.txt', lines(4) + 'staged\n');
    repo.git('add', 'b.txt');
    repo.write('c.txt', lines(5) + 'one\ntwo\n');
    repo.write('u.txt', 'x\ny\nno newline at end');
    expect(await changedFiles(repo.dir, base)).toEqual([
      { path: 'a.txt', status: 'modified', added: 1, removed: 0, binary: false },
      { path: 'b.txt', status: 'modified', added: 1, removed: 1, binary: false },
      { path: 'c.txt', status: 'modified', added: 2, removed: 0, binary: false },
      { path: 'u.txt', status: 'added', added: 3, removed: 0, binary: false },
    ]);
  });

  it('returns nothing when the working tree equals the base', async () => {
    const { repo, base } = withBase();
    expect(await changedFiles(repo.dir, base)).toEqual([]);
  });

  it('detects a rename with edits and sets oldPath', async () => {
    const repo = tempRepo();
    repo.write('old.txt', lines(10));
    const base = repo.commitAll();
    repo.git('mv', 'old.txt', 'new.txt');
    repo.write('new.txt', lines(9) + 'changed\n');
    repo.git('add', 'new.txt');
    expect(await changedFiles(repo.dir, base)).toEqual([
      { path: 'new.txt', oldPath: 'old.txt', status: 'renamed', added: 1, removed: 1, binary: false },
    ]);
  });

  it('lists a deleted file with its removed lines', async () => {
    const { repo, base } = withBase();
    repo.remove('b.txt');
    expect(await changedFiles(repo.dir, base)).toEqual([{ path: 'b.txt', status: 'deleted', added: 0, removed: 5, binary: false }]);
  });

  it('flags binary files, tracked and untracked, with zero counts', async () => {
    const repo = tempRepo();
    repo.write('img.bin', Buffer.from([1, 0, 2, 3]));
    const base = repo.commitAll();
    repo.write('img.bin', Buffer.from([1, 0, 2, 4, 10]));
    repo.write('new.bin', Buffer.concat([Buffer.from('text\n'), Buffer.from([0])]));
    expect(await changedFiles(repo.dir, base)).toEqual([
      { path: 'img.bin', status: 'modified', added: 0, removed: 0, binary: true },
      { path: 'new.bin', status: 'added', added: 0, removed: 0, binary: true },
    ]);
  });

  it('leaves out ignored files', async () => {
    const repo = tempRepo();
    repo.write('.gitignore', '*.log\nbuild/\n');
    const base = repo.commitAll();
    repo.write('debug.log', 'x\n');
    repo.write('build/out.js', 'x\n');
    repo.write('kept.txt', 'x\n');
    expect((await changedFiles(repo.dir, base)).map((f) => f.path)).toEqual(['kept.txt']);
  });

  it('reports a type change (file to symlink)', async () => {
    const { repo, base } = withBase();
    repo.remove('c.txt');
    fs.symlinkSync('a.txt', path.join(repo.dir, 'c.txt'));
    expect(await changedFiles(repo.dir, base)).toEqual([{ path: 'c.txt', status: 'type-changed', added: 1, removed: 5, binary: false }]);
  });

  it('keeps paths with spaces, unicode and newlines exactly', async () => {
    const repo = tempRepo();
    repo.write('with space.txt', 'a\n');
    repo.write('naïve/é.txt', 'a\n');
    const base = repo.commitAll();
    repo.write('with space.txt', 'a\nb\n');
    repo.git('mv', 'naïve/é.txt', 'naïve/ü tab\t.txt');
    repo.write('line\nbreak.txt', 'x\n');
    repo.git('add', 'line\nbreak.txt');
    repo.write('日本 語\n"q".txt', 'y\nz\n');
    expect(await changedFiles(repo.dir, base)).toEqual([
      { path: 'line\nbreak.txt', status: 'added', added: 1, removed: 0, binary: false },
      { path: 'naïve/ü tab\t.txt', oldPath: 'naïve/é.txt', status: 'renamed', added: 0, removed: 0, binary: false },
      { path: 'with space.txt', status: 'modified', added: 1, removed: 0, binary: false },
      { path: '日本 語\n"q".txt', status: 'added', added: 2, removed: 0, binary: false },
    ]);
  });

  it('reports a file removed from the index but still on disk as modified', async () => {
    const { repo, base } = withBase();
    repo.git('rm', '-q', '--cached', 'a.txt');
    repo.write('a.txt', lines(6));
    expect(await changedFiles(repo.dir, base)).toEqual([{ path: 'a.txt', status: 'modified', added: 6, removed: 5, binary: false }]);
  });

  it('counts an untracked symlink by its target text, as git does', async () => {
    const { repo, base } = withBase();
    fs.symlinkSync('a.txt', path.join(repo.dir, 'link'));
    fs.symlinkSync('missing', path.join(repo.dir, 'dangling'));
    expect(await changedFiles(repo.dir, base)).toEqual([
      { path: 'dangling', status: 'added', added: 1, removed: 0, binary: false },
      { path: 'link', status: 'added', added: 1, removed: 0, binary: false },
    ]);
  });

  it('lists an untracked nested repository as one added entry', async () => {
    const { repo, base } = withBase();
    tempRepo(path.join(repo.dir, 'vendor'));
    repo.write('vendor/x.txt', 'x\n');
    expect(await changedFiles(repo.dir, base)).toEqual([{ path: 'vendor', status: 'added', added: 0, removed: 0, binary: false }]);
  });

  it('gives the same answer for an abbreviated base, a branch name and the full commit id', async () => {
    const { repo, base } = withBase();
    repo.git('branch', 'at-base');
    repo.write('a.txt', lines(6));
    repo.commitAll('after base');
    repo.write('u.txt', 'x\n');
    const full = await changedFiles(repo.dir, base);
    expect(full.map((f) => f.path)).toEqual(['a.txt', 'u.txt']);
    expect(await changedFiles(repo.dir, base.slice(0, 10))).toEqual(full);
    expect(await changedFiles(repo.dir, 'at-base')).toEqual(full);
  });

  it('throws BASE_COMMIT for a full id that names no commit: unknown, or a tree', async () => {
    const { repo } = withBase();
    const tree = repo.git('rev-parse', 'HEAD^{tree}').trim();
    for (const base of ['0'.repeat(40), tree]) {
      await expect(changedFiles(repo.dir, base)).rejects.toMatchObject({
        code: 'BASE_COMMIT',
        message: expect.stringContaining(`"${base}"`),
      });
    }
  });

  it('throws BASE_COMMIT naming a base that is not a commit', async () => {
    const { repo } = withBase();
    await expect(changedFiles(repo.dir, 'not-a-commit')).rejects.toMatchObject({
      code: 'BASE_COMMIT',
      message: expect.stringContaining('"not-a-commit"'),
    });
  });
});
