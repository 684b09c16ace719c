import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTestReport, testReportMetrics } from './test-report';
import { TestReportSchema, type TestReport } from './test-report-schema';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtureRoot = path.join(here, '..', '__fixtures__', 'toolchain-output');

interface Expectation {
  tests: TestReport | null;
}

/** Every `<lang>/<case>.out` with the test report its `.expect.json` states (null: none). */
const fixtures = readdirSync(fixtureRoot, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((dir) =>
    readdirSync(path.join(fixtureRoot, dir.name))
      .filter((file) => file.endsWith('.out'))
      .map((file) => {
        const name = `${dir.name}/${file.slice(0, -'.out'.length)}`;
        const expected = JSON.parse(readFileSync(path.join(fixtureRoot, `${name}.expect.json`), 'utf8')) as Expectation;
        return { name, output: readFileSync(path.join(fixtureRoot, `${name}.out`), 'utf8'), tests: expected.tests };
      }),
  );

const fixture = (name: string): string => readFileSync(path.join(fixtureRoot, `${name}.out`), 'utf8');

/** A report with the given fields over one that ran and failed nothing. */
const report = (fields: Partial<TestReport>): TestReport => ({
  runners: [],
  passed: 0,
  failed: 0,
  errors: 0,
  skipped: 0,
  failing: [],
  none_ran: false,
  ...fields,
});

describe('readTestReport', () => {
  it('reads every fixture (128 real outputs; 104 hold test results)', () => {
    expect(fixtures).toHaveLength(128);
    expect(fixtures.filter(({ tests }) => tests !== null)).toHaveLength(104);
  });

  it.each(fixtures)('returns the expected tests for $name', ({ output, tests }) => {
    const read = readTestReport(output);
    expect(read).toEqual(tests ?? undefined);
    if (read) expect(TestReportSchema.parse(read)).toEqual(read);
  });

  it('names the tests Go ≥ 1.20 lists as running when the test binary timed out', () => {
    // Go 1.20 added the list (src/testing/testing.go, startAlarm: "running tests:" then "\t<name> (<elapsed>)").
    const output = [
      '=== RUN   TestQuick',
      '--- PASS: TestQuick (0.00s)',
      '=== RUN   TestSlow',
      'panic: test timed out after 2s',
      'running tests:',
      '\tTestSlow (2s)',
      '',
      'goroutine 5 [running]:',
      'FAIL\texample.com/m/slow\t2.009s',
    ].join('\n');
    expect(readTestReport(output)).toEqual(report({ runners: ['go test'], passed: 1, failed: 1, failing: ['TestSlow'] }));
  });

  it('falls back to the report sections for pytest without a short test summary (-rN)', () => {
    const lines = fixture('python/pytest_fail').split('\n');
    const start = lines.findIndex((line) => line.includes('short test summary info'));
    const withoutSummary = [...lines.slice(0, start), ...lines.slice(start + 5)].join('\n');
    expect(withoutSummary).not.toContain('FAILED ');
    expect(readTestReport(withoutSummary)).toEqual(
      report({
        runners: ['pytest'],
        passed: 3,
        failed: 4,
        skipped: 1,
        failing: ['test_is_number_rejects[nan]', 'test_is_number_rejects[inf]', 'test_is_number_rejects[-inf]', 'MeanTest.test_empty'],
      }),
    );
  });

  it('reads pytest with every test deselected as no tests ran', () => {
    expect(readTestReport('3 deselected in 0.01s\n')).toEqual(report({ runners: ['pytest'], none_ran: true }));
  });

  it("turns unittest's Python ≤ 3.10 headings (method, then class) into test ids", () => {
    // The 3.11 fixture's headings written the way Python 3.10 writes them.
    const output = fixture('python/unittest_fail')
      .replace('test_peek_empty (test_stack.StackTest.test_peek_empty)', 'test_peek_empty (test_stack.StackTest)')
      .replace('test_pop_order (test_stack.StackTest.test_pop_order)', 'test_pop_order (test_stack.StackTest)');
    expect(readTestReport(output)?.failing).toEqual(['test_stack.StackTest.test_peek_empty', 'test_stack.StackTest.test_pop_order']);
  });

  it('sums the test binaries of cargo test, ignored tests as skipped', () => {
    expect(readTestReport(fixture('rust/test_fail_no_fail_fast'))).toEqual(
      report({
        runners: ['cargo test'],
        passed: 3,
        failed: 3,
        skipped: 1,
        failing: ['tests::rejects_infinity', 'tests::rejects_nan', 'mean_of_empty_is_zero'],
      }),
    );
  });

  it('sums the Tests lines of several Jest runs in one output', () => {
    const output = `${fixture('ts/jest_fail')}\n${fixture('ts/jest_suite_error')}`;
    expect(readTestReport(output)).toEqual(
      report({
        runners: ['jest'],
        passed: 5,
        failed: 4,
        errors: 1,
        skipped: 1,
        failing: ['isNumber › NaN', 'isNumber › Infinity', 'mean › of nothing is 0', 'counts words', 'src/config.test.js'],
      }),
    );
  });

  it('adds up several runners in one command; passed is unknown when one of them does not print it', () => {
    const output = `${fixture('go/test_fail_packages')}\n${fixture('python/pytest_fail')}`;
    const read = readTestReport(output);
    expect(read).toMatchObject({ runners: ['go test', 'pytest'], passed: null, failed: 8, errors: 0, skipped: null, none_ran: false });
    expect(read?.failing).toHaveLength(8);
    expect(read?.failing.slice(0, 5)).toEqual([
      'TestIsNumber',
      'TestIsNumber/NaN',
      'TestIsNumber/Infinity',
      'TestWordCount',
      'tests/test_mathx.py::test_is_number_rejects[nan]',
    ]);
  });

  it('counts xpassed as passed and xfailed as skipped in pytest', () => {
    expect(readTestReport('1 failed, 2 passed, 1 xfailed, 1 xpassed, 2 warnings in 0.12s\n')).toEqual(
      report({ runners: ['pytest'], passed: 3, failed: 1, skipped: 1 }),
    );
  });

  it('counts unittest expected failures as skipped and unexpected successes as failed', () => {
    const output = 'Ran 6 tests in 0.002s\n\nFAILED (failures=1, skipped=1, expected failures=1, unexpected successes=1)\n';
    expect(readTestReport(output)).toEqual(report({ runners: ['unittest'], passed: 2, failed: 2, skipped: 2 }));
  });

  it('lists a Jest failure once when Jest repeats it in its closing summary', () => {
    const output = fixture('ts/jest_fail').replace(
      'Test Suites:',
      'Summary of all failing tests\nFAIL src/strutil.test.js\n  ● counts words\n\nTest Suites:',
    );
    expect(readTestReport(output)?.failing).toEqual(['isNumber › NaN', 'isNumber › Infinity', 'mean › of nothing is 0', 'counts words']);
  });

  it("counts Vitest's errors outside tests", () => {
    const output = ' Test Files  1 passed (1)\n      Tests  2 passed (2)\n     Errors  1 error\n';
    expect(readTestReport(output)).toEqual(report({ runners: ['vitest'], passed: 2, errors: 1 }));
  });

  it("counts node's cancelled tests as failed and todo tests as skipped", () => {
    const output = ['# tests 5', '# suites 0', '# pass 2', '# fail 1', '# cancelled 1', '# skipped 0', '# todo 1'].join('\n');
    expect(readTestReport(output)).toEqual(report({ runners: ['node --test'], passed: 2, failed: 2, skipped: 1 }));
  });

  it('is not fooled by lines that only look like closing counts', () => {
    const output = [
      'Tests: see the README',
      'ran 3 jobs in 2s',
      'the build passed in 3.1s',
      '# tests are in ./test',
      '  3 passing cars (fast)',
    ].join('\n');
    expect(readTestReport(output)).toBeUndefined();
  });

  it('reads a pathological line in linear time (no catastrophic backtracking)', () => {
    const line = `=== ${'1 passed, '.repeat(199_999)}1 passed in 0.1s ===`;
    expect(readTestReport(line)).toEqual(report({ runners: ['pytest'], passed: 200_000 }));
    const spec = `✖ ${'a (1ms) # '.repeat(200_000)}\nℹ tests 1\nℹ pass 0\nℹ fail 1\n`;
    expect(readTestReport(spec)?.failed).toBe(1);
  });
});

describe('testReportMetrics', () => {
  it('writes every count, and whether no tests ran', () => {
    expect(testReportMetrics(report({ passed: 17, failed: 2, errors: 1, skipped: 3 }))).toEqual({
      tests_passed: 17,
      tests_failed: 2,
      tests_errors: 1,
      tests_skipped: 3,
      tests_none_ran: false,
    });
  });

  it('leaves out counts the runner did not print', () => {
    expect(testReportMetrics(report({ passed: null, failed: 3, skipped: null }))).toEqual({
      tests_failed: 3,
      tests_errors: 0,
      tests_none_ran: false,
    });
  });
});
