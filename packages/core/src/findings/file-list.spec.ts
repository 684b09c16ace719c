import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFindings } from './parse';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string): string => readFileSync(path.join(here, '..', '__fixtures__', 'findings', 'file-list', name), 'utf8');
const toolchain = (name: string): string => readFileSync(path.join(here, '..', '__fixtures__', 'toolchain-output', name), 'utf8');
const notFormatted = (...files: string[]) => files.map((file) => ({ file, message: 'not formatted' }));

describe('parseFindings file-list', () => {
  it('reads `prettier --check`, leaving out "Checking formatting..." and its verdict', () => {
    expect(parseFindings(fixture('prettier-check-files.out'), 'file-list')).toEqual(
      notFormatted('src/app.ts', 'src/util.ts', 'dist/bundle.js'),
    );
    expect(parseFindings(toolchain('ts/lint_prettier.out'), 'file-list')).toEqual(notFormatted('src/messy.ts'));
  });

  it('reads a file prettier could not parse as an error at its position, leaving out the code frame', () => {
    expect(parseFindings(fixture('prettier-check-noisy.out'), 'file-list')).toEqual([
      ...notFormatted('src/app.ts'),
      { file: 'src/broken.ts', line: 2, column: 10, severity: 'error', message: "SyntaxError: ':' expected." },
      ...notFormatted('src/util.ts', 'dist/bundle.js'),
    ]);
  });

  it('reads coloured `prettier --check` as the plain one', () => {
    expect(parseFindings(fixture('prettier-check-color.out'), 'file-list')).toEqual(
      parseFindings(fixture('prettier-check-noisy.out'), 'file-list'),
    );
  });

  it('reads `prettier -l`, which lists bare paths', () => {
    expect(parseFindings(fixture('prettier-list-different.out'), 'file-list')).toEqual(
      parseFindings(fixture('prettier-check-noisy.out'), 'file-list'),
    );
  });

  it("finds nothing in a pass or in prettier's own errors (no files matched)", () => {
    expect(parseFindings(fixture('prettier-check-pass.out'), 'file-list')).toEqual([]);
    expect(parseFindings(fixture('prettier-no-files.out'), 'file-list')).toEqual([]);
  });

  it("reads `oxfmt --list-different` (unjs/defu), with a file it could not parse as an error at miette's position", () => {
    expect(parseFindings(fixture('oxfmt-list-different.out'), 'file-list')).toEqual([
      ...notFormatted('.oxlintrc.json', 'lib/defu.d.cts', 'nx.json', 'src/ugly.ts'),
      { file: 'src/bad.ts', line: 2, column: 1, severity: 'error', message: 'Expected `}` but found `EOF`' },
    ]);
  });

  it('reads `gofmt -l`', () => {
    expect(parseFindings(fixture('gofmt-l.out'), 'file-list')).toEqual(notFormatted('main.go', 'store/format.go'));
    expect(parseFindings(toolchain('go/fmt.out'), 'file-list')).toEqual(notFormatted('util.go'));
  });

  it("reads gofmt's syntax errors as error findings", () => {
    expect(parseFindings(fixture('gofmt-l-syntax-error.out'), 'file-list')).toEqual([
      { file: 'api/broken.go', line: 3, column: 14, severity: 'error', message: "expected ')', found '{'" },
      { file: 'api/broken.go', line: 4, column: 1, severity: 'error', message: "missing ',' in parameter list" },
      ...notFormatted('main.go', 'store/format.go'),
    ]);
  });

  it('reads `black --check` (`would reformat path`, `error: cannot format`), leaving out its verdict', () => {
    expect(parseFindings(fixture('black-check.out'), 'file-list')).toEqual([
      { file: '/home/user/src/py/app/broken.py', line: 1, column: 11, severity: 'error', message: 'Cannot parse: 1:11: def broken(:' },
      ...notFormatted('/home/user/src/py/app/service.py'),
    ]);
  });
});
