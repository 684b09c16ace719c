import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { outputLines } from './output-lines';
import { stillRunning as fromLines } from './still-running';

const stillRunning = (output: string) => fromLines(outputLines(output));

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string): string => readFileSync(path.join(here, '..', '__fixtures__', 'killed-runs', `${name}.out`), 'utf8');

describe('stillRunning', () => {
  it("names Go's stuck subtest: not its parent, not the sibling that ran before it", () => {
    expect(stillRunning(fixture('go-test-subtest-stuck'))).toEqual(['TestTable/stuck']);
  });

  it('names the test libtest says has been running for over a minute', () => {
    expect(stillRunning(fixture('cargo-test-stuck'))).toEqual(['planted_hang']);
  });

  it('names the harness and how many of its tests had not ended when killed before libtest names one', () => {
    expect(stillRunning(fixture('cargo-test-stuck-early'))).toEqual(['1 of 2 tests of tests/hang.rs']);
  });

  it('names parallel Go tests that had not ended, and nothing for output that names no running test', () => {
    const parallel = [
      '=== RUN   TestA',
      '=== PAUSE TestA',
      '=== RUN   TestB',
      '=== PAUSE TestB',
      '=== CONT  TestA',
      '=== CONT  TestB',
      '--- PASS: TestB (0.00s)',
    ];
    expect(stillRunning(parallel.join('\n'))).toEqual(['TestA']);
    expect(stillRunning('PASS\nok  \texample.com/x\t0.01s\n')).toEqual([]);
  });
});
