import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFindings } from './parse';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string): string => readFileSync(path.join(here, '..', '__fixtures__', 'findings', 'eslint-stylish', name), 'utf8');
const toolchain = (name: string): string => readFileSync(path.join(here, '..', '__fixtures__', 'toolchain-output', name), 'utf8');

describe('parseFindings eslint-stylish', () => {
  it('reads errors and warnings of several files with their rules, leaving out the summary and the --fix hint', () => {
    const found = parseFindings(fixture('eslint-noisy.out'), 'eslint-stylish');
    expect(found.map((f) => `${path.basename(f.file)}:${f.line}:${f.column} ${f.severity} ${f.rule}`)).toEqual([
      'app.ts:1:10 error @typescript-eslint/no-unused-vars',
      'app.ts:3:30 error @typescript-eslint/no-explicit-any',
      'app.ts:5:7 warning prefer-const',
      'app.ts:5:7 error @typescript-eslint/no-unused-vars',
      'app.ts:7:19 warning eqeqeq',
      'app.ts:10:3 error no-debugger',
      'broken.ts:2:9 error undefined',
      'util.ts:4:9 warning prefer-const',
    ]);
    expect(found[0]).toEqual({
      file: '/home/user/src/ts/src/app.ts',
      line: 1,
      column: 10,
      rule: '@typescript-eslint/no-unused-vars',
      severity: 'error',
      message: "'readFileSync' is defined but never used",
    });
  });

  it('reads a parsing error, which has no rule', () => {
    expect(parseFindings(fixture('eslint-noisy.out'), 'eslint-stylish')[6]).toEqual({
      file: '/home/user/src/ts/src/broken.ts',
      line: 2,
      column: 9,
      severity: 'error',
      message: "Parsing error: ':' expected",
    });
  });

  it('reads coloured output (--color) as the plain one', () => {
    expect(parseFindings(fixture('eslint-color.out'), 'eslint-stylish')).toEqual(
      parseFindings(fixture('eslint-noisy.out'), 'eslint-stylish'),
    );
  });

  it('reads the shared toolchain capture (eslint 10, typescript-eslint)', () => {
    expect(parseFindings(toolchain('ts/lint_eslint.out'), 'eslint-stylish').map((f) => `${f.line}:${f.column} ${f.rule}`)).toEqual([
      '1:10 @typescript-eslint/no-unused-vars',
      '3:44 @typescript-eslint/no-explicit-any',
      '4:9 @typescript-eslint/no-unused-vars',
    ]);
  });

  it("reads XO's output with --reporter=stylish (sindresorhus/p-limit, XO 1.2.3)", () => {
    expect(parseFindings(fixture('xo-stylish.out'), 'eslint-stylish')).toEqual([
      {
        file: '/home/user/src/p-limit/bad.js',
        line: 1,
        column: 7,
        severity: 'error',
        rule: 'no-unused-vars',
        message: "'unused' is assigned a value but never used. Allowed unused vars must match /^_/u",
      },
      {
        file: '/home/user/src/p-limit/scripts/benchmarker.js',
        line: 3,
        column: 1,
        severity: 'warning',
        rule: 'no-warning-comments',
        message: "Unexpected 'todo' comment: 'TODO: I will move this to a proper...'",
      },
    ]);
  });

  it('leaves out the --max-warnings notice', () => {
    expect(parseFindings(fixture('eslint-max-warnings.out'), 'eslint-stylish')).toEqual([
      {
        file: '/home/user/src/ts/src/util.ts',
        line: 4,
        column: 9,
        rule: 'prefer-const',
        severity: 'warning',
        message: "'prefix' is never reassigned. Use 'const' instead",
      },
    ]);
  });

  it('reads a problem at 0:0 (an ignored file) as about the whole file', () => {
    expect(parseFindings(fixture('eslint-ignored.out'), 'eslint-stylish')).toEqual([
      {
        file: '/home/user/src/ts/dist/bundle.js',
        severity: 'warning',
        message:
          'File ignored because of a matching ignore pattern. Use "--no-ignore" to disable file ignore settings or use "--no-warn-ignored" to suppress this warning',
      },
    ]);
  });

  it('finds nothing in a crash report (exit 2, "Oops! Something went wrong!")', () => {
    expect(parseFindings(fixture('eslint-config-error.out'), 'eslint-stylish')).toEqual([]);
  });
});
