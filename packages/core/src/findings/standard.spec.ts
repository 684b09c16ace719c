import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFindings } from './parse';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string): string => readFileSync(path.join(here, '..', '__fixtures__', 'findings', 'standard', name), 'utf8');

describe('parseFindings standard', () => {
  it("reads standard's report, leaving out its header (feross/queue-microtask with two unused names added)", () => {
    expect(parseFindings(fixture('standard-noisy.out'), 'standard')).toEqual([
      {
        file: '/home/user/src/queue-microtask/index.js',
        line: 11,
        column: 7,
        rule: 'no-unused-vars',
        severity: 'error',
        message: "'unused' is assigned a value but never used.",
      },
      {
        file: '/home/user/src/queue-microtask/index.js',
        line: 12,
        column: 10,
        rule: 'no-unused-vars',
        severity: 'error',
        message: "'f' is defined but never used.",
      },
    ]);
  });

  it('reads a parsing error (rule `null`) and leaves out the `--fix` advice', () => {
    const found = parseFindings(fixture('standard-fixable.out'), 'standard');
    expect(found.map((f) => `${path.basename(f.file)}:${f.line}:${f.column} ${f.rule ?? '-'}`)).toEqual([
      'broken.js:2:1 -',
      'index.js:11:7 no-unused-vars',
      'index.js:12:10 no-unused-vars',
      'index.js:13:7 no-unused-vars',
      'index.js:13:11 quotes',
    ]);
    expect(found[0]).toMatchObject({ severity: 'error', message: 'Parsing error: Unexpected token' });
  });

  it("reads a warning as standard-engine's cmd.js prints one (` (warning)` after the rule)", () => {
    // standard 17's own rules raise no warning on a small project: the line is written in the form cmd.js prints.
    expect(parseFindings('  /p/a.js:3:1: Unexpected console statement. (no-console) (warning)\n', 'standard')).toEqual([
      { file: '/p/a.js', line: 3, column: 1, rule: 'no-console', severity: 'warning', message: 'Unexpected console statement.' },
    ]);
  });

  it('takes no indented line of another tool for a finding', () => {
    expect(parseFindings('a.js:1:2: message (rule)\n    at f (a.js:1:2)\n', 'standard')).toEqual([]);
  });
});
