import { headerPath, splitPatch, unquoteGitPath } from './patch-sections';

describe('unquoteGitPath', () => {
  it('undoes C escapes and octal UTF-8 bytes', () => {
    expect(unquoteGitPath('"b/a\\nb\\t\\"q\\"\\\\"')).toBe('b/a\nb\t"q"\\');
    expect(unquoteGitPath('"\\303\\251t\\303\\251"')).toBe('été');
  });
});

describe('headerPath', () => {
  it('strips the b/ prefix and the tab git adds after names with spaces', () => {
    expect(headerPath('b/a b.txt\t')).toBe('a b.txt');
    expect(headerPath('b/ü.txt')).toBe('ü.txt');
  });

  it('unquotes a quoted name, also when followed by a tab', () => {
    expect(headerPath('"b/say \\"hi\\".txt"\t')).toBe('say "hi".txt');
  });

  it('returns undefined for /dev/null', () => {
    expect(headerPath('/dev/null')).toBeUndefined();
  });
});

describe('splitPatch', () => {
  it('splits by file and ignores header-like lines inside hunks', () => {
    const patch = [
      'diff --git a/x b/x',
      '--- a/x',
      '+++ b/x',
      '@@ -1,2 +1,3 @@',
      ' keep',
      '-diff --git a/fake b/fake',
      '++++ b/fake',
      '+@@ -1 +1 @@',
      'diff --git a/gone b/gone',
      'deleted file mode 100644',
      '--- a/gone',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-bye',
      '',
    ].join('\n');
    const sections = splitPatch(patch);
    expect(sections.map((s) => s.path)).toEqual(['x', undefined]);
    expect(sections[0].text.split('\n')).toHaveLength(8);
  });

  it('returns nothing for an empty diff', () => {
    expect(splitPatch('')).toEqual([]);
  });
});
