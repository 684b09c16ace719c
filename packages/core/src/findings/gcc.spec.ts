import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFindings } from './parse';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string): string => readFileSync(path.join(here, '..', '__fixtures__', 'findings', 'gcc', name), 'utf8');
/** The toolchain outputs shared with the error summaries (see `__fixtures__/toolchain-output/README.md`). */
const toolchain = (name: string): string => readFileSync(path.join(here, '..', '__fixtures__', 'toolchain-output', name), 'utf8');

describe('parseFindings gcc', () => {
  it('reads go vet across packages: the `vet: ` prefix of type errors, `./` paths, `# pkg` headers left out', () => {
    expect(parseFindings(fixture('go-vet-noisy.out'), 'gcc')).toEqual([
      { file: 'api/api.go', line: 4, column: 9, message: 'undeclared name: undefinedThing' },
      { file: './main.go', line: 7, column: 2, message: 'fmt.Printf format %d has arg name of wrong type string' },
      {
        file: 'store/store.go',
        line: 13,
        column: 9,
        message: 'Count passes lock by value: example.com/shop/store.Store contains sync.Mutex',
      },
      { file: 'store/store.go', line: 20, column: 9, message: 'fmt.Sprintf format %s has arg s.Count() of wrong type int' },
    ]);
  });

  it('reads go build errors under their package header', () => {
    expect(parseFindings(toolchain('go/noisy.out'), 'gcc').map((f) => `${f.file}:${f.line}:${f.column} ${f.message}`)).toEqual([
      'server/server.go:17:30 undefined: adress',
      'server/server.go:18:20 cannot use "three" (untyped string constant) as int value in variable declaration',
      'server/server.go:19:44 cfg.Timeout undefined (type Config has no field or method Timeout)',
    ]);
  });

  it('reads pyflakes, leaving out the source line and caret of a syntax error', () => {
    expect(parseFindings(fixture('pyflakes-noisy.out'), 'gcc')).toEqual([
      { file: 'app/service.py', line: 1, column: 1, message: "'os' imported but unused" },
      { file: 'app/service.py', line: 2, column: 1, message: "'sys' imported but unused" },
      { file: 'app/service.py', line: 9, column: 16, message: "undefined name 'DEFAULT_HOST'" },
      { file: 'app/broken.py', line: 1, column: 12, message: 'invalid syntax' },
      { file: 'app/models.py', line: 10, column: 9, message: "local variable 'unused' is assigned to but never used" },
    ]);
    expect(parseFindings(toolchain('python/lint.out'), 'gcc')).toHaveLength(3);
  });

  it('takes flake8 codes as rules', () => {
    const found = parseFindings(fixture('flake8-noisy.out'), 'gcc');
    expect(found.map((f) => `${f.file}:${f.line}:${f.column} ${f.rule}`)).toEqual([
      'app/service.py:1:1 F401',
      'app/service.py:2:1 F401',
      'app/service.py:6:29 E231',
      'app/service.py:8:13 E711',
      'app/service.py:9:16 F821',
      'app/service.py:14:1 E303',
      'app/service.py:14:10 E201',
      'app/broken.py:1:13 E999',
      'app/models.py:10:9 F841',
    ]);
    expect(found[2]).toEqual({ file: 'app/service.py', line: 6, column: 29, rule: 'E231', message: "missing whitespace after ','" });
  });

  it("reads ruff's concise format (documented form, not a capture: ruff is not installable here)", () => {
    // The shape `path:line:col: CODE [*] message`, then `Found N errors.` and the fixable count,
    // as ruff's documentation and its CLI snapshot tests show it, for the flake8 case's files.
    const output = [
      'app/service.py:1:8: F401 [*] `os` imported but unused',
      'app/service.py:9:16: F821 Undefined name `DEFAULT_HOST`',
      "app/broken.py:1:12: SyntaxError: Expected ')', found ':'",
      'Found 3 errors.',
      '[*] 1 fixable with the `--fix` option.',
      '',
    ].join('\n');
    expect(parseFindings(output, 'gcc')).toEqual([
      { file: 'app/service.py', line: 1, column: 8, rule: 'F401', message: '`os` imported but unused' },
      { file: 'app/service.py', line: 9, column: 16, rule: 'F821', message: 'Undefined name `DEFAULT_HOST`' },
      { file: 'app/broken.py', line: 1, column: 12, message: "SyntaxError: Expected ')', found ':'" },
    ]);
  });

  it("reads oxlint's unix format, its bracketed severity and rule, and leaves out `5 problems`", () => {
    expect(parseFindings(fixture('oxlint-unix.out'), 'gcc')).toEqual([
      {
        file: 'dist/bundle.js',
        line: 1,
        column: 32,
        rule: 'eslint(no-unused-vars)',
        severity: 'warning',
        message: "Variable 'b' is declared but never used. Unused variables should start with a '_'.",
      },
      { file: 'src/broken.ts', line: 2, column: 10, severity: 'error', message: 'Expected `:` but found `decimal`' },
      {
        file: 'src/app.ts',
        line: 1,
        column: 10,
        rule: 'eslint(no-unused-vars)',
        severity: 'warning',
        message: "Identifier 'readFileSync' is imported but never used.",
      },
      {
        file: 'src/app.ts',
        line: 5,
        column: 7,
        rule: 'eslint(no-unused-vars)',
        severity: 'warning',
        message: "Variable 'count' is declared but never used. Unused variables should start with a '_'.",
      },
      {
        file: 'src/app.ts',
        line: 10,
        column: 3,
        rule: 'eslint(no-debugger)',
        severity: 'warning',
        message: '`debugger` statement is not allowed',
      },
    ]);
  });

  it("reads clippy's short format with its levels, leaving out cargo's progress and totals", () => {
    const found = parseFindings(fixture('clippy-short.out'), 'gcc');
    expect(found).toHaveLength(7);
    expect(found[0]).toEqual({
      file: 'src/main.rs',
      line: 5,
      column: 9,
      severity: 'warning',
      message: 'unused variable: `unused`: help: if this is intentional, prefix it with an underscore: `_unused`',
    });
    expect(found[5]).toEqual({
      file: 'src/main.rs',
      line: 7,
      column: 8,
      severity: 'error',
      message: 'equal expressions as operands to `==`',
    });
  });

  it('reads the long form cargo replays for a crate it did not rebuild, though short was asked for (cuviper/autocfg)', () => {
    const w = (file: string, line: number, column: number, message: string) => ({ file, line, column, severity: 'warning', message });
    expect(parseFindings(fixture('clippy-replayed.out'), 'gcc')).toEqual([
      w('src/version.rs', 66, 23, 'function `planted` is never used'),
      w('src/version.rs', 66, 53, 'equality checks against true are unnecessary'),
      w('tests/rustflags.rs', 16, 31, 'the borrowed expression implements the required traits'),
      w('tests/rustflags.rs', 24, 9, 'the borrowed expression implements the required traits'),
    ]);
  });

  it('reads coloured clippy output as the plain one', () => {
    expect(parseFindings(fixture('clippy-short-color.out'), 'gcc')).toEqual(parseFindings(fixture('clippy-short.out'), 'gcc'));
  });

  it("reads tsc's `path(line,col): error TS…` with the code as rule, leaving out continuation lines", () => {
    expect(parseFindings(fixture('tsc-noisy.out'), 'gcc')[0]).toEqual({
      file: 'src/broken.ts',
      line: 2,
      column: 10,
      rule: 'TS1005',
      severity: 'error',
      message: "':' expected.",
    });
    expect(parseFindings(toolchain('ts/noisy.out'), 'gcc').map((f) => `${f.file}:${f.line} ${f.rule}`)).toEqual([
      'src/api.ts:14 TS2322',
      'src/format.ts:6 TS2304',
      'src/main.ts:5 TS2322',
      'src/main.ts:9 TS2554',
    ]);
  });

  it("reads mypy's `path:line: error: message  [code]` without a column", () => {
    expect(parseFindings(toolchain('python/type_error.out'), 'gcc')).toEqual([
      {
        file: 'inventory.py',
        line: 21,
        rule: 'arg-type',
        severity: 'error',
        message: 'Argument 2 to "restock" has incompatible type "str"; expected "int"',
      },
    ]);
  });

  it('finds nothing in a crash report whose stack frames hold `path:line:col`', () => {
    const output = readFileSync(path.join(here, '..', '__fixtures__', 'findings', 'eslint-stylish', 'eslint-config-error.out'), 'utf8');
    expect(output).toContain('config-loader.js:205:17');
    expect(parseFindings(output, 'gcc')).toEqual([]);
  });

  it('finds nothing in lines without a path: timestamps, notes, totals', () => {
    const output = [
      '12:30:05: build started',
      'src/a.c:3:5: note: declared here',
      'warning: `shop` (bin "shop") generated 6 warnings',
      '',
    ].join('\n');
    expect(parseFindings(output, 'gcc')).toEqual([]);
  });
});
