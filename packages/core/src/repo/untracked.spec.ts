import { countLines, isBinary } from './untracked';

describe('countLines', () => {
  it('counts newlines plus an unterminated last line, as git numstat does', () => {
    expect(countLines(Buffer.from(''))).toBe(0);
    expect(countLines(Buffer.from('a'))).toBe(1);
    expect(countLines(Buffer.from('a\n'))).toBe(1);
    expect(countLines(Buffer.from('a\r\nb'))).toBe(2);
    expect(countLines(Buffer.from('\n\n'))).toBe(2);
  });
});

describe('isBinary', () => {
  it('is true when a NUL byte appears in the first 8000 bytes only', () => {
    expect(isBinary(Buffer.from([65, 0, 66]))).toBe(true);
    expect(isBinary(Buffer.from('plain text\n'))).toBe(false);
    expect(isBinary(Buffer.concat([Buffer.alloc(8000, 65), Buffer.from([0])]))).toBe(false);
  });
});
