import { parseRawDiff, parseSavedRefs, parseStatusZ, parseWorktreeList } from './git-parse';

describe('parseRawDiff', () => {
  it('reads kinds and paths, and marks nested repositories', () => {
    const out =
      ':100644 100644 aaa bbb M\0src/a b.ts\0:000000 100644 000 ccc A\0new.ts\0:100644 000000 ddd 000 D\0gone.ts\0:000000 160000 000 eee A\0vendor/repo\0';
    expect(parseRawDiff(out)).toEqual([
      { path: 'src/a b.ts', kind: 'modified' },
      { path: 'new.ts', kind: 'added' },
      { path: 'gone.ts', kind: 'deleted' },
      { path: 'vendor/repo', kind: 'added', gitlink: true },
    ]);
  });
});

describe('parseStatusZ', () => {
  it('maps porcelain codes to added, modified and deleted', () => {
    expect(parseStatusZ(' M a.ts\0?? b.ts\0A  c.ts\0 D d.ts\0D  e.ts\0MM f.ts\0')).toEqual([
      { path: 'a.ts', kind: 'modified' },
      { path: 'b.ts', kind: 'added' },
      { path: 'c.ts', kind: 'added' },
      { path: 'd.ts', kind: 'deleted' },
      { path: 'e.ts', kind: 'deleted' },
      { path: 'f.ts', kind: 'modified' },
    ]);
  });
});

describe('parseWorktreeList', () => {
  it('keeps only worktrees on factory/<slug> branches', () => {
    const out =
      'worktree /r\0HEAD 111\0branch refs/heads/main\0\0worktree /r/.factory/workspaces/bd-1\0HEAD 222\0branch refs/heads/factory/bd-1\0\0worktree /x\0HEAD 333\0detached\0\0';
    expect(parseWorktreeList(out)).toEqual([{ slug: 'bd-1', dir: '/r/.factory/workspaces/bd-1', head: '222', branch: 'factory/bd-1' }]);
  });
});

describe('parseSavedRefs', () => {
  it('reads kind and number from the ref, and sorts reverted attempts first, by number', () => {
    const line = (ref: string, c: string) => `${ref}\0${c}\x002026-01-01T00:00:00+00:00\0p1\0subject ${c}\0`;
    const out = [
      line('refs/factory/bd-1/saved/1', 's1'),
      line('refs/factory/bd-1/reverted/10', 'r10'),
      line('refs/factory/bd-1/reverted/2', 'r2'),
      line('refs/factory/bd-1/other', 'x'),
    ].join('\n');
    expect(parseSavedRefs('bd-1', out).map((s) => [s.kind, s.n, s.commit, s.parent, s.subject])).toEqual([
      ['reverted', 2, 'r2', 'p1', 'subject r2'],
      ['reverted', 10, 'r10', 'p1', 'subject r10'],
      ['saved', 1, 's1', 'p1', 'subject s1'],
    ]);
  });
});
