import { lines, removeTempDirs, tempRepo } from './__fixtures__/temp-repo';
import { fileAtBase, fileDiff } from './diff';

afterEach(removeTempDirs);

describe('fileDiff', () => {
  it('returns the unified diff of a tracked file against base', async () => {
    const repo = tempRepo();
    repo.write('a b.txt', 'one\ntwo\n');
    const base = repo.commitAll();
    repo.write('a b.txt', 'one\nTWO\n');
    const diff = await fileDiff(repo.dir, base, 'a b.txt');
    expect(diff.split('\n').slice(2)).toEqual(['--- a/a b.txt\t', '+++ b/a b.txt\t', '@@ -1,2 +1,2 @@', ' one', '-two', '+TWO', '']);
    expect(diff.startsWith('diff --git a/a b.txt b/a b.txt\n')).toBe(true);
  });

  it('returns the diff of an untracked file against /dev/null', async () => {
    const repo = tempRepo();
    const base = repo.commitAll();
    repo.write('new.txt', 'x\ny\n');
    const diff = await fileDiff(repo.dir, base, 'new.txt');
    expect(diff).toContain('new file mode 100644\n');
    expect(diff.split('\n').slice(3)).toEqual(['--- /dev/null', '+++ b/new.txt', '@@ -0,0 +1,2 @@', '+x', '+y', '']);
  });

  it('returns an empty string for an unchanged or an ignored file', async () => {
    const repo = tempRepo();
    repo.write('.gitignore', '*.log\n');
    repo.write('same.txt', 'x\n');
    const base = repo.commitAll();
    repo.write('debug.log', 'x\n');
    expect(await fileDiff(repo.dir, base, 'same.txt')).toBe('');
    expect(await fileDiff(repo.dir, base, 'debug.log')).toBe('');
  });

  it('takes the path literally, not as a glob', async () => {
    const repo = tempRepo();
    repo.write('a.txt', 'x\n');
    repo.write('b.txt', 'x\n');
    const base = repo.commitAll();
    repo.write('a.txt', 'y\n');
    repo.write('b.txt', 'y\n');
    expect(await fileDiff(repo.dir, base, '*.txt')).toBe('');
  });

  it('throws BASE_COMMIT for a base that is not a commit', async () => {
    const repo = tempRepo();
    repo.commitAll();
    await expect(fileDiff(repo.dir, 'nope', 'a.txt')).rejects.toMatchObject({ code: 'BASE_COMMIT' });
  });
});

describe('fileAtBase', () => {
  it('returns the content a file had at base, whatever it holds now', async () => {
    const repo = tempRepo();
    repo.write('dir/é x.txt', lines(2));
    const base = repo.commitAll();
    repo.write('dir/é x.txt', 'changed\n');
    repo.commitAll();
    expect(await fileAtBase(repo.dir, base, 'dir/é x.txt')).toBe('line 1\nline 2\n');
  });

  it('returns undefined for a file absent at base, or a directory', async () => {
    const repo = tempRepo();
    repo.write('dir/a.txt', 'x\n');
    const base = repo.commitAll();
    repo.write('later.txt', 'x\n');
    repo.commitAll();
    expect(await fileAtBase(repo.dir, base, 'later.txt')).toBeUndefined();
    expect(await fileAtBase(repo.dir, base, 'dir')).toBeUndefined();
  });
});
