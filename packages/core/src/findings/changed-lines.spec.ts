import { lines, removeTempDirs, tempRepo } from '../repo/__fixtures__/temp-repo';
import { changedLinesOf, contentChanged, type ChangedLines } from './changed-lines';

afterEach(removeTempDirs);

/** The map as plain data: `added` sorted or `all`, `removedAfter` sorted. */
function plain(changed: ChangedLines): Record<string, { added: number[] | 'all'; removedAfter: number[] }> {
  const out: Record<string, { added: number[] | 'all'; removedAfter: number[] }> = {};
  for (const [file, change] of changed) {
    out[file] = {
      added: change.added === 'all' ? 'all' : [...change.added].sort((a, b) => a - b),
      removedAfter: [...change.removedAfter].sort((a, b) => a - b),
    };
  }
  return out;
}

describe('changedLinesOf', () => {
  it('numbers edited lines as they are now, across committed, staged and unstaged changes', async () => {
    const repo = tempRepo();
    repo.write('a.txt', lines(20));
    repo.write('s.txt', lines(3));
    const base = repo.commitAll();
    const a = lines(20).split('\n');
    a[2] = 'committed edit of line 3';
    repo.write('a.txt', a.join('\n'));
    repo.commitAll();
    a.splice(9, 0, 'unstaged insert at 10', 'and 11');
    repo.write('a.txt', a.join('\n'));
    repo.write('s.txt', lines(3) + 'staged line 4\n');
    repo.git('add', 's.txt');
    expect(plain(await changedLinesOf(repo.dir, base))).toEqual({
      'a.txt': { added: [3, 10, 11], removedAfter: [] },
      's.txt': { added: [4], removedAfter: [] },
    });
  });

  it('marks every line of an untracked file, and of a file added in a commit', async () => {
    const repo = tempRepo();
    repo.write('keep.txt', 'k\n');
    const base = repo.commitAll();
    repo.write('committed-new.txt', lines(2));
    repo.commitAll();
    repo.write('dir/untracked file.txt', lines(3));
    expect(plain(await changedLinesOf(repo.dir, base))).toEqual({
      'committed-new.txt': { added: 'all', removedAfter: [] },
      'dir/untracked file.txt': { added: 'all', removedAfter: [] },
    });
  });

  it('follows a rename: only its edits, under the new path; a rename without an edit changes no content', async () => {
    const repo = tempRepo();
    repo.write('old.txt', lines(10));
    repo.write('same-old.txt', lines(10, 'same'));
    const base = repo.commitAll();
    repo.git('mv', 'old.txt', 'new.txt');
    repo.git('mv', 'same-old.txt', 'same-new.txt');
    const edited = lines(10).split('\n');
    edited[4] = 'edited line 5';
    repo.write('new.txt', edited.join('\n'));
    const changed = await changedLinesOf(repo.dir, base);
    expect(plain(changed)).toEqual({
      'new.txt': { added: [5], removedAfter: [] },
      'same-new.txt': { added: [], removedAfter: [] },
    });
    expect(contentChanged(changed.get('same-new.txt')!)).toBe(false);
  });

  it('leaves deleted files out and records where lines were removed', async () => {
    const repo = tempRepo();
    repo.write('gone.txt', 'x\n');
    repo.write('cut.txt', lines(10));
    const base = repo.commitAll();
    repo.remove('gone.txt');
    const cut = lines(10).split('\n');
    cut.splice(6, 2);
    cut.splice(0, 1);
    repo.write('cut.txt', cut.join('\n'));
    expect(plain(await changedLinesOf(repo.dir, base))).toEqual({
      'cut.txt': { added: [], removedAfter: [0, 5] },
    });
  });

  it('marks every line of a file removed from the index but still on disk', async () => {
    const repo = tempRepo();
    repo.write('kept.txt', lines(3));
    const base = repo.commitAll();
    repo.git('rm', '-q', '--cached', 'kept.txt');
    repo.write('kept.txt', lines(3) + 'more\n');
    expect(plain(await changedLinesOf(repo.dir, base))).toEqual({ 'kept.txt': { added: 'all', removedAfter: [] } });
  });

  it('is empty when nothing changed', async () => {
    const repo = tempRepo();
    repo.write('a.txt', lines(3));
    const base = repo.commitAll();
    expect((await changedLinesOf(repo.dir, base)).size).toBe(0);
  });
});
