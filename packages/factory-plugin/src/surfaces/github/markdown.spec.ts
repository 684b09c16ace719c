import { mdBlock, mdText } from './markdown';

describe('mdText', () => {
  it('makes HTML inert and Markdown punctuation literal', () => {
    expect(mdText('<script>alert(1)</script> & [x](javascript:alert(1)) | *b* `c`')).toBe(
      '&lt;script&gt;alert\\(1\\)&lt;/script&gt; &amp; \\[x\\]\\(javascript:alert\\(1\\)\\) \\| \\*b\\* \\`c\\`',
    );
  });

  it('escapes a list marker only where it would start a list', () => {
    expect(mdText('1. a-b.c')).toBe('1\\. a-b.c');
    expect(mdText('- x')).toBe('\\- x');
    expect(mdText('ann@example.com')).toBe('ann@example.com');
  });

  it('keeps a table row on one line', () => {
    expect(mdText('a\nb\r\nc')).toBe('a b c');
  });
});

describe('mdBlock', () => {
  it('fences text with more backticks than it holds, so it cannot close the block', () => {
    expect(mdBlock('a ```` b')).toBe('`````text\na ```` b\n`````');
    expect(mdBlock('plain')).toBe('```text\nplain\n```');
  });
});
