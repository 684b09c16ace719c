import { parseRawNumstat } from './diff-records';

const raw = (status: string, ...paths: string[]) => `:100644 100644 1111111 2222222 ${status}\0${paths.join('\0')}\0`;

describe('parseRawNumstat', () => {
  it('pairs raw records with numstat counts by path', () => {
    const out = raw('M', 'a.txt') + raw('D', 'gone.txt') + '3\t1\ta.txt\0' + '0\t7\tgone.txt\0';
    expect(parseRawNumstat(out)).toEqual([
      { path: 'a.txt', status: 'modified', added: 3, removed: 1, binary: false },
      { path: 'gone.txt', status: 'deleted', added: 0, removed: 7, binary: false },
    ]);
  });

  it('reads renames and copies with their old path in both formats', () => {
    const out = raw('R090', 'old', 'new') + raw('C100', 'src', 'copy') + '1\t2\t\0old\0new\0' + '0\t0\t\0src\0copy\0';
    expect(parseRawNumstat(out)).toEqual([
      { path: 'new', oldPath: 'old', status: 'renamed', added: 1, removed: 2, binary: false },
      { path: 'copy', oldPath: 'src', status: 'copied', added: 0, removed: 0, binary: false },
    ]);
  });

  it('flags binary files (numstat "-") with zero counts', () => {
    expect(parseRawNumstat(raw('A', 'img.png') + '-\t-\timg.png\0')).toEqual([
      { path: 'img.png', status: 'added', added: 0, removed: 0, binary: true },
    ]);
  });

  it('maps T to type-changed and U to modified, a later record replacing U', () => {
    const out = raw('T', 'link') + raw('U', 'conflict') + raw('M', 'conflict') + '1\t1\tlink\0' + '2\t0\tconflict\0';
    expect(parseRawNumstat(out)).toEqual([
      { path: 'link', status: 'type-changed', added: 1, removed: 1, binary: false },
      { path: 'conflict', status: 'modified', added: 2, removed: 0, binary: false },
    ]);
  });

  it('keeps paths holding tabs, newlines and a leading colon', () => {
    const out = raw('M', ':odd\tname\n') + '1\t0\t:odd\tname\n\0';
    expect(parseRawNumstat(out)).toEqual([{ path: ':odd\tname\n', status: 'modified', added: 1, removed: 0, binary: false }]);
  });

  it('returns nothing for empty output', () => {
    expect(parseRawNumstat('')).toEqual([]);
  });
});
