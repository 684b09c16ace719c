import { lines, removeTempDirs, tempRepo } from './__fixtures__/temp-repo';
import { addedLines } from './added-lines';

afterEach(removeTempDirs);

describe('addedLines', () => {
  it('returns added lines with their new line numbers across several hunks', async () => {
    const repo = tempRepo();
    repo.write('a.txt', lines(30));
    const base = repo.commitAll();
    const now = lines(30).split('\n');
    now.splice(2, 0, 'inserted at 3');
    now.splice(15, 1, 'replaced at 16');
    now.splice(29, 0, 'first at 30', '+++ looks like a header');
    repo.write('a.txt', now.join('\n'));
    expect(await addedLines(repo.dir, base)).toEqual([
      { file: 'a.txt', line: 3, text: 'inserted at 3' },
      { file: 'a.txt', line: 16, text: 'replaced at 16' },
      { file: 'a.txt', line: 30, text: 'first at 30' },
      { file: 'a.txt', line: 31, text: '+++ looks like a header' },
    ]);
  });

  it('includes committed, staged and unstaged changes and every line of untracked files', async () => {
    const repo = tempRepo();
    repo.write('c.txt', 'c\n');
    repo.write('s.txt', 's\n');
    repo.write('u.txt', 'u\n');
    const base = repo.commitAll();
    repo.write('c.txt', 'c\ncommitted\n');
    repo.commitAll();
    repo.write('s.txt', 's\nstaged\n');
    repo.git('add', 's.txt');
    repo.write('u.txt', 'u\nunstaged');
    repo.write('new file.txt', 'n1\nn2\n');
    expect(await addedLines(repo.dir, base)).toEqual([
      { file: 'c.txt', line: 2, text: 'committed' },
      { file: 'new file.txt', line: 1, text: 'n1' },
      { file: 'new file.txt', line: 2, text: 'n2' },
      { file: 's.txt', line: 2, text: 'staged' },
      { file: 'u.txt', line: 2, text: 'unstaged' },
    ]);
  });

  it('returns only the edits of a renamed file, under its new path', async () => {
    const repo = tempRepo();
    repo.write('old.txt', lines(10));
    const base = repo.commitAll();
    repo.git('mv', 'old.txt', 'new.txt');
    repo.write('new.txt', lines(10) + 'tail\n');
    expect(await addedLines(repo.dir, base)).toEqual([{ file: 'new.txt', line: 11, text: 'tail' }]);
  });

  it('skips binary and deleted files', async () => {
    const repo = tempRepo();
    repo.write('gone.txt', 'x\n');
    repo.write('img.bin', Buffer.from([0, 1]));
    const base = repo.commitAll();
    repo.remove('gone.txt');
    repo.write('img.bin', Buffer.from([0, 2, 10]));
    repo.write('new.bin', Buffer.from([65, 0, 10]));
    expect(await addedLines(repo.dir, base)).toEqual([]);
  });

  it('keeps only the requested paths', async () => {
    const repo = tempRepo();
    repo.write('a.txt', 'a\n');
    repo.write('b.txt', 'b\n');
    const base = repo.commitAll();
    repo.write('a.txt', 'a\nA\n');
    repo.write('b.txt', 'b\nB\n');
    repo.write('u1.txt', 'u1\n');
    repo.write('u2.txt', 'u2\n');
    expect(await addedLines(repo.dir, base, { paths: ['b.txt', 'u2.txt'] })).toEqual([
      { file: 'b.txt', line: 2, text: 'B' },
      { file: 'u2.txt', line: 1, text: 'u2' },
    ]);
    expect(await addedLines(repo.dir, base, { paths: [] })).toEqual([]);
  });

  it('names files whose paths git quotes (newline, quote, unicode, trailing space)', async () => {
    const repo = tempRepo();
    for (const f of ['new\nline.txt', 'say "hi".txt', 'ünï.txt', 'trailing ']) repo.write(f, 'a\n');
    const base = repo.commitAll();
    for (const f of ['new\nline.txt', 'say "hi".txt', 'ünï.txt', 'trailing ']) repo.write(f, 'a\nb\n');
    expect((await addedLines(repo.dir, base)).map((l) => l.file)).toEqual(['new\nline.txt', 'say "hi".txt', 'trailing ', 'ünï.txt']);
  });
});
