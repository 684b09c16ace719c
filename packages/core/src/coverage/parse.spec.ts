import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CoverageParser } from '../domain/stage';
import { parseCoverage } from './parse';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtureRoot = path.join(here, '..', '__fixtures__', 'toolchain-output');

interface Expectation {
  coverage_percent: number | null;
}

/** Every `<lang>/<case>.out` with its `.expect.json`, named `<lang>/<case>`. */
const fixtures = readdirSync(fixtureRoot, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((dir) =>
    readdirSync(path.join(fixtureRoot, dir.name))
      .filter((file) => file.endsWith('.out'))
      .map((file) => {
        const name = `${dir.name}/${file.slice(0, -'.out'.length)}`;
        const expected = JSON.parse(readFileSync(path.join(fixtureRoot, `${name}.expect.json`), 'utf8')) as Expectation;
        return { name, output: readFileSync(path.join(fixtureRoot, `${name}.out`), 'utf8'), percent: expected.coverage_percent ?? undefined };
      }),
  );

const fixture = (name: string): string => readFileSync(path.join(fixtureRoot, `${name}.out`), 'utf8');

const ISTANBUL_TABLE = [
  '----------|---------|----------|---------|---------|-------------------',
  'File      | % Stmts | % Branch | % Funcs | % Lines | Uncovered Line #s ',
  '----------|---------|----------|---------|---------|-------------------',
  'All files |   66.66 |      100 |      50 |   71.42 |                   ',
  ' mathx.js |   66.66 |      100 |      50 |   71.42 | 7-8               ',
  '----------|---------|----------|---------|---------|-------------------',
].join('\n');

const NODE_TEST = [
  '# start of coverage report',
  '# --------------------------------------------------------------',
  '# file       | line % | branch % | funcs % | uncovered lines',
  '# --------------------------------------------------------------',
  '# mathx.mjs  |  75.00 |   100.00 |   50.00 | 3',
  '# test.mjs   | 100.00 |   100.00 |  100.00 | ',
  '# --------------------------------------------------------------',
  '# all files  |  87.50 |   100.00 |   75.00 |',
  '# --------------------------------------------------------------',
  '# end of coverage report',
].join('\n');

const LLVM_COV = [
  'Filename      Regions    Missed Regions     Cover   Functions  Missed Functions  Executed       Lines      Missed Lines     Cover    Branches   Missed Branches     Cover',
  '----------------------------------------------------------------------------------------------------------------------------------------------------------------------',
  'src/lib.rs          8                 2    75.00%           3                 1    66.67%          10                 4    60.00%           0                 0         -',
  '----------------------------------------------------------------------------------------------------------------------------------------------------------------------',
  'TOTAL               8                 2    75.00%           3                 1    66.67%          10                 4    60.00%           0                 0         -',
].join('\n');

describe('parseCoverage', () => {
  it('reads every fixture (128 real outputs, each with an expectation)', () => {
    expect(fixtures).toHaveLength(128);
  });

  it.each(fixtures)('returns the expected coverage of $name with auto', ({ output, percent }) => {
    expect(parseCoverage(output, 'auto')).toBe(percent);
  });

  it.each<[CoverageParser, string, number]>([
    ['go', 'go/coverage', 50],
    ['coverage-py', 'python/coverage', 86],
    ['istanbul-text', 'ts/coverage_text_summary', 75],
    ['istanbul-json', 'ts/coverage_json_summary', 75],
    ['c8', 'ts/coverage_c8', 66.66],
    ['llvm-cov', 'rust/coverage', 50],
  ])('reads its own format with the %s parser (%s)', (parser, name, percent) => {
    expect(parseCoverage(fixture(name), parser)).toBe(percent);
  });

  it('returns undefined when an explicit parser is given another format', () => {
    expect(parseCoverage(fixture('python/coverage'), 'go')).toBeUndefined();
    expect(parseCoverage(fixture('go/coverage'), 'istanbul-json')).toBeUndefined();
    expect(parseCoverage(fixture('ts/coverage_c8'), 'llvm-cov')).toBeUndefined();
  });

  it('defaults to auto', () => {
    expect(parseCoverage(fixture('python/coverage'))).toBe(86);
  });

  it('returns undefined for empty output', () => {
    expect(parseCoverage('')).toBeUndefined();
  });

  it('reads the Lines column of the istanbul/c8 text table', () => {
    expect(parseCoverage(ISTANBUL_TABLE, 'istanbul-text')).toBe(71.42);
    expect(parseCoverage(ISTANBUL_TABLE, 'c8')).toBe(71.42);
    expect(parseCoverage(ISTANBUL_TABLE)).toBe(71.42);
  });

  it("reads the line % of node's --experimental-test-coverage", () => {
    expect(parseCoverage(NODE_TEST, 'node-test')).toBe(87.5);
    expect(parseCoverage(NODE_TEST)).toBe(87.5);
  });

  it('reads the Lines Cover column of llvm-cov, not the regions or functions one', () => {
    expect(parseCoverage(LLVM_COV, 'llvm-cov')).toBe(60);
    expect(parseCoverage(LLVM_COV)).toBe(60);
  });

  it('prefers the total line of go tool cover -func', () => {
    const output = [
      'ok  \texample.com/m/mathx\t0.002s\tcoverage: 40.0% of statements',
      'example.com/m/mathx/mathx.go:3:\tDouble\t\t100.0%',
      'example.com/m/mathx/mathx.go:7:\tHalf\t\t0.0%',
      'total:\t\t\t\t(statements)\t50.0%',
    ].join('\n');
    expect(parseCoverage(output, 'go')).toBe(50);
    expect(parseCoverage(output)).toBe(50);
  });

  it('takes the lowest package figure of go test -cover over several packages', () => {
    const output = [
      'ok  \texample.com/m/a\t0.002s\tcoverage: 80.0% of statements',
      'ok  \texample.com/m/b\t0.003s\tcoverage: 42.9% of statements',
      '?   \texample.com/m/cmd\t[no test files]',
      'ok  \texample.com/m/c\t0.002s\tcoverage: [no statements]',
    ].join('\n');
    expect(parseCoverage(output, 'go')).toBe(42.9);
    expect(parseCoverage(output)).toBe(42.9);
  });

  it('takes the last percentage of the coverage.py TOTAL row with branch columns', () => {
    const output = [
      'Name       Stmts   Miss Branch BrPart  Cover',
      '--------------------------------------------',
      'mathx.py      12      2      4      1  82.35%',
      '--------------------------------------------',
      'TOTAL         12      2      4      1  82.35%',
    ].join('\n');
    expect(parseCoverage(output, 'coverage-py')).toBe(82.35);
    expect(parseCoverage(output)).toBe(82.35);
  });

  it('returns undefined for malformed json-summary', () => {
    const unclosed = '{"total": {"lines":{"total":4,"covered":3,"skipped":0,"pct":75}';
    const trailingComma = '{"total": {"lines":{"total":4,"covered":3,"skipped":0,"pct":75,}}}';
    expect(parseCoverage(unclosed, 'istanbul-json')).toBeUndefined();
    expect(parseCoverage(trailingComma, 'istanbul-json')).toBeUndefined();
    expect(parseCoverage(unclosed)).toBeUndefined();
  });

  it('returns undefined when json-summary has no line figure', () => {
    const output = '{"total": {"lines":{"total":0,"covered":0,"skipped":0,"pct":"Unknown"}}}';
    expect(parseCoverage(output, 'istanbul-json')).toBeUndefined();
  });

  it('reads pretty-printed json-summary', () => {
    const output = 'Ran all test suites.\n{\n  "total": {\n    "lines": { "total": 8, "covered": 6, "pct": 75 }\n  }\n}\n';
    expect(parseCoverage(output, 'istanbul-json')).toBe(75);
  });

  it('accepts ANSI colours and CRLF line endings', () => {
    const output = 'Statements   : \u001b[33m75%\u001b[39m ( 3/4 )\r\n\u001b[32mLines        : 80%\u001b[39m ( 4/5 )\r\n';
    expect(parseCoverage(output, 'istanbul-text')).toBe(80);
  });
});
