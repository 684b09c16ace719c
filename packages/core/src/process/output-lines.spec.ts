import { outputLines, stripAnsi } from './output-lines';

describe('stripAnsi', () => {
  it('removes colours and the `ESC ( B` character-set reset that terminfo sends with them (rustfmt)', () => {
    expect(stripAnsi('\u001b[31m-fn a(){}\n\u001b(B\u001b[m\u001b[32m+fn a() {}\n\u001b(B\u001b[m }')).toBe('-fn a(){}\n+fn a() {}\n }');
  });
});

describe('outputLines', () => {
  it('keeps the last segment of a line rewritten with carriage returns, and accepts CRLF', () => {
    expect(outputLines('Checking 1/3\rChecking 3/3\r\nsrc/a.ts\r\n')).toEqual(['Checking 3/3', 'src/a.ts', '']);
  });
});
