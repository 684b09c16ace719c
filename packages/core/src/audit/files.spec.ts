import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findLastLine } from './files';

describe('findLastLine', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'factory-files-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the last matching complete line, across 64 KB chunk boundaries, and ignores a torn tail', () => {
    const file = path.join(dir, 'log');
    // 3,000 lines of 70 bytes: about 210 KB, so lines straddle the chunk boundaries.
    const lines = Array.from(
      { length: 3000 },
      (_, i) => `${String(i).padStart(5, '0')} ${i % 7 === 0 ? 'seven' : 'other'} ${'x'.repeat(57)}`,
    );
    writeFileSync(file, `${lines.join('\n')}\n{"torn seven`);
    expect(findLastLine(file, (l) => l.includes('seven'))).toBe(lines[2996]);
    expect(findLastLine(file, (l) => l.startsWith('00935 '))).toBe(lines[935]);
    expect(findLastLine(file, (l) => l.startsWith('00000 '))).toBe(lines[0]);
    expect(findLastLine(file, (l) => l.includes('nowhere'))).toBeUndefined();
    expect(findLastLine(path.join(dir, 'absent'), () => true)).toBeUndefined();
    writeFileSync(file, 'only a torn line');
    expect(findLastLine(file, () => true)).toBeUndefined();
  });
});
