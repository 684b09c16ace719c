import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFindings } from './parse';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string): string => readFileSync(path.join(here, '..', '__fixtures__', 'findings', 'unified-diff', name), 'utf8');
const toolchain = (name: string): string => readFileSync(path.join(here, '..', '__fixtures__', 'toolchain-output', name), 'utf8');

describe('parseFindings unified-diff', () => {
  it('reads `gofmt -d`: one finding per change of a hunk, the range of current lines it changes without its context', () => {
    expect(parseFindings(fixture('gofmt-d.out'), 'unified-diff')).toEqual([
      { file: 'main.go', line: 8, message: 'would reformat: fmt.Println(total([]int{1,2,3}))' },
      { file: 'main.go', line: 12, endLine: 16, message: 'would reformat: sum := 0' },
      { file: 'store/format.go', line: 5, message: 'would reformat: if name=="" {' },
      { file: 'store/format.go', line: 9, endLine: 10, message: 'would remove blank lines' },
      { file: 'store/format.go', line: 20, endLine: 21, message: 'would reformat: func Pad(s string)string{' },
    ]);
  });

  it('leaves the lines between two changes of one hunk out of both (a task editing only those is not judged by them)', () => {
    // gofmt merges changes up to six lines apart into one hunk (semver: lines 11 and 13, the task edited 12).
    const diff = [
      'diff collection.go.orig collection.go',
      '--- collection.go.orig',
      '+++ collection.go',
      '@@ -10,5 +10,5 @@',
      ' func (c Collection) Len() int {',
      '-\treturn len( c )',
      '+\treturn len(c)',
      '\t// a comment the task reworded',
      '-\tpanic( "x" )',
      '+\tpanic("x")',
      ' }',
    ].join('\n');
    expect(parseFindings(diff, 'unified-diff')).toEqual([
      { file: 'collection.go', line: 11, message: 'would reformat: return len( c )' },
      { file: 'collection.go', line: 13, message: 'would reformat: panic( "x" )' },
    ]);
  });

  it("reads the Biome format stage's diffs (absolute names under a/ and b/) and a file Biome cannot parse", () => {
    expect(parseFindings(fixture('biome-format-diff.out'), 'unified-diff')).toEqual([
      {
        file: '/home/user/src/hookified/src/eventified.ts',
        line: 439,
        message: 'would reformat: this._maxListeners = n<0 ? 0 : n',
      },
      {
        file: '/home/user/src/hookified/src/broken.ts',
        line: 1,
        column: 12,
        rule: 'parse',
        severity: 'error',
        message: 'expected `)` but instead found `;`',
      },
    ]);
  });

  it("reads the Prettier format stage's diffs and the file Prettier cannot parse, not its code frame", () => {
    expect(parseFindings(fixture('prettier-diff.out'), 'unified-diff')).toEqual([
      { file: 'src/bad.ts', line: 1, message: 'would reformat: export const  x = {a:1}' },
      { file: 'src/greeting.ts', line: 2, message: 'would reformat: export function greet(name:string):string{' },
      { file: 'src/broken.ts', line: 1, column: 19, severity: 'error', message: 'SyntaxError: Expression expected.' },
    ]);
  });

  it("reads gofmt's syntax errors printed between its diffs as error findings", () => {
    const found = parseFindings(fixture('gofmt-d-syntax-error.out'), 'unified-diff');
    expect(found.slice(0, 2)).toEqual([
      { file: 'api/broken.go', line: 3, column: 14, severity: 'error', message: "expected ')', found '{'" },
      { file: 'api/broken.go', line: 4, column: 1, severity: 'error', message: "missing ',' in parameter list" },
    ]);
    expect(found.slice(2)).toEqual(parseFindings(fixture('gofmt-d.out'), 'unified-diff'));
  });

  it("reads `cargo fmt --check`'s `Diff in path:N:` blocks, which have no line counts", () => {
    expect(parseFindings(fixture('cargo-fmt-check.out'), 'unified-diff')).toEqual([
      { file: '/home/user/src/rs/src/store.rs', line: 12, endLine: 14, message: 'would reformat: pub fn pad(s:&str)->String{' },
      { file: '/home/user/src/rs/src/store.rs', line: 18, endLine: 21, message: 'would remove blank lines' },
      { file: '/home/user/src/rs/src/store.rs', line: 23, message: 'would reformat: pub fn last() -> u32 { 2 }' },
    ]);
    expect(parseFindings(toolchain('rust/fmt.out'), 'unified-diff')).toEqual([
      { file: '/home/user/src/rust/fmt/src/main.rs', line: 1, message: 'would reformat: fn add(a:i32,b:i32)->i32{a+b}' },
      { file: '/home/user/src/rust/fmt/src/main.rs', line: 4, message: 'would reformat: let values = vec![1,2,3];' },
    ]);
  });

  it('reads coloured `cargo fmt --check` (with the `ESC ( B` resets rustfmt sends) as the plain one', () => {
    expect(parseFindings(fixture('cargo-fmt-check-color.out'), 'unified-diff')).toEqual(
      parseFindings(fixture('cargo-fmt-check.out'), 'unified-diff'),
    );
  });

  it('reads the `Diff in path at line N:` header of rustfmt before 1.5', () => {
    // The real 1.9 output with its headers rewritten to the older form, which this machine's rustfmt no longer prints.
    const older = fixture('cargo-fmt-check.out').replace(/^Diff in (.*):(\d+):$/gm, 'Diff in $1 at line $2:');
    expect(older).toContain('Diff in /home/user/src/rs/src/store.rs at line 9:');
    expect(parseFindings(older, 'unified-diff')).toEqual(parseFindings(fixture('cargo-fmt-check.out'), 'unified-diff'));
  });

  it('reads `black --check --diff`: the timestamped headers, `error: cannot format`, and not the verdicts', () => {
    expect(parseFindings(fixture('black-check-diff.out'), 'unified-diff')).toEqual([
      {
        file: '/home/user/src/py/app/broken.py',
        line: 1,
        column: 11,
        severity: 'error',
        message: 'Cannot parse: 1:11: def broken(:',
      },
      { file: '/home/user/src/py/app/service.py', line: 6, endLine: 7, message: 'would reformat: port = config.get("port",8080)' },
      { file: '/home/user/src/py/app/service.py', line: 13, endLine: 14, message: 'would reformat: def stop( ):' },
    ]);
  });

  it('gives an insertion its two neighbouring lines', () => {
    expect(parseFindings(fixture('black-insert-lines.out'), 'unified-diff')).toEqual([
      { file: 'spacing.py', line: 5, endLine: 6, message: 'would insert blank lines' },
    ]);
  });

  it('finds nothing when black has nothing to change', () => {
    expect(parseFindings(fixture('black-check-pass.out'), 'unified-diff')).toEqual([]);
  });
});
