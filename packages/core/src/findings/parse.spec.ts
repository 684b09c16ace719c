import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FINDING_FORMATS } from './finding';
import { parseFindings } from './parse';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string): string => readFileSync(path.join(here, '..', '__fixtures__', 'findings', name), 'utf8');

describe('parseFindings', () => {
  it('reads CRLF output as LF output', () => {
    const lf = fixture('eslint-stylish/eslint-noisy.out');
    expect(parseFindings(lf.replace(/\n/g, '\r\n'), 'eslint-stylish')).toEqual(parseFindings(lf, 'eslint-stylish'));
  });

  it('reads an output of megabytes, every finding of it', () => {
    const once = fixture('unified-diff/gofmt-d.out');
    // Each copy about other files: the same finding printed twice is kept once.
    const big = Array.from({ length: 5_000 }, (_, i) => once.replace(/\.go\b/g, `${i}.go`)).join('');
    expect(big.length).toBeGreaterThan(2_500_000);
    expect(parseFindings(big, 'unified-diff')).toHaveLength(5 * 5_000);
  });

  it('keeps a finding printed twice once (go vet: a syntax error for the package and its test variant)', () => {
    const twice = "./decode.go:37:2: expected operand, found '}'\n".repeat(2);
    expect(parseFindings(twice, 'gcc')).toEqual([{ file: './decode.go', line: 37, column: 2, message: "expected operand, found '}'" }]);
  });

  it('reads megabyte lines built to make a backtracking pattern retry at every position', () => {
    // A pattern that retried at every ` [`, `: ` or `.` of these lines would not finish; each is
    // read once and counted as the finding (or not) its shape makes it.
    const output = [
      `src/a.ts:1:1: x${' [Error/'.repeat(200_000)}`,
      `src/a.ts:1:1: error: x${'  [a'.repeat(200_000)}`,
      `[error] ${'a: '.repeat(200_000)}`,
      `Diff in ${'a:1'.repeat(200_000)}`,
      `× ${'a:1:1'.repeat(200_000)}: r`,
      `  1:1  error  x${'  @a/'.repeat(200_000)}`,
      `${'.a'.repeat(200_000)}!`,
      `  a.js:1:1: x${' (a'.repeat(200_000)}`,
    ].join('\n');
    const counts = Object.fromEntries(FINDING_FORMATS.map((format) => [format, parseFindings(output, format).length]));
    expect(counts).toEqual({ gcc: 2, 'eslint-stylish': 1, standard: 1, biome: 0, 'unified-diff': 3, 'file-list': 3 });
  });
});
