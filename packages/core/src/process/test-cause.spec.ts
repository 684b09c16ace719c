import { describeTestFailures, FAILING_NAME_MAX, FAILING_NAMES_BUDGET } from './test-cause';
import type { TestReport } from './test-report-schema';

const report = (fields: Partial<TestReport>): TestReport => ({
  runners: ['jest'],
  passed: 0,
  failed: 0,
  errors: 0,
  skipped: 0,
  failing: [],
  none_ran: false,
  ...fields,
});

describe('describeTestFailures', () => {
  it('gives the counts and names the failing tests', () => {
    expect(describeTestFailures(report({ passed: 17, failed: 2, failing: ['isNumber › NaN', 'isNumber › Infinity'] }))).toBe(
      '2 tests failed (17 passed): isNumber › NaN, isNumber › Infinity',
    );
  });

  it('says "test" for one failure and lists skipped tests when there are any', () => {
    expect(describeTestFailures(report({ passed: 2, failed: 1, skipped: 3, failing: ['tests::counts_words'] }))).toBe(
      '1 test failed (2 passed, 3 skipped): tests::counts_words',
    );
  });

  it('counts errors apart from failures, and alone when nothing failed', () => {
    expect(describeTestFailures(report({ passed: 1, errors: 2, failing: ['test_store.py::test_query', 'test_store.py::test_ping'] }))).toBe(
      '2 errors (1 passed): test_store.py::test_query, test_store.py::test_ping',
    );
    expect(describeTestFailures(report({ passed: 1, failed: 1, errors: 1, skipped: 1, failing: ['m.T.test_a', 'm.T.test_b'] }))).toBe(
      '1 test failed, 1 error (1 passed, 1 skipped): m.T.test_a, m.T.test_b',
    );
  });

  it('leaves out the counts the runner did not print', () => {
    expect(describeTestFailures(report({ passed: null, skipped: null, failed: 3, failing: ['TestA', 'TestB/x', 'TestC'] }))).toBe(
      '3 tests failed: TestA, TestB/x, TestC',
    );
  });

  it(`lists names within ${FAILING_NAMES_BUDGET} characters, then says how many more failed`, () => {
    const failing = Array.from({ length: 12 }, (_, i) => `suite › a test with a rather long name number ${i + 1}`);
    const line = describeTestFailures(report({ passed: 5, failed: 12, failing }));
    expect(line).toBe(
      '12 tests failed (5 passed): suite › a test with a rather long name number 1, suite › a test with a rather long name number 2, ' +
        'suite › a test with a rather long name number 3, and 9 more',
    );
    expect(line.slice(line.indexOf(': ') + 2, line.indexOf(', and')).length).toBeLessThanOrEqual(FAILING_NAMES_BUDGET);
  });

  it('always names the first failing test, a very long name cut so that the next one still fits (markupsafe: parameter ids)', () => {
    const long = `test_${'x'.repeat(FAILING_NAMES_BUDGET * 2)}`;
    const cut = `${long.slice(0, FAILING_NAME_MAX - 1)}…`;
    expect(describeTestFailures(report({ failed: 2, failing: [long, 'test_b'] }))).toBe(`2 tests failed (0 passed): ${cut}, test_b`);
    expect(describeTestFailures(report({ failed: 3, failing: [long, long, 'test_b'] }))).toBe(
      `3 tests failed (0 passed): ${cut}, test_b, and 1 more`,
    );
  });

  it('gives the counts alone when no names were read', () => {
    expect(describeTestFailures(report({ passed: 3, failed: 2 }))).toBe('2 tests failed (3 passed)');
  });
});
