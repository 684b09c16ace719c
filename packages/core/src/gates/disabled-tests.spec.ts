import { ALLOW_SKIP_MARKER, findDisabledTests, holdsTests } from './disabled-tests';

/** One added line per entry: `[file, text]`, numbered from 1 in order. */
const added = (...entries: [string, string][]) => entries.map(([file, text], i) => ({ file, line: i + 1, text }));
const markers = (...entries: [string, string][]) => findDisabledTests(added(...entries)).map((d) => d.marker);

describe('findDisabledTests', () => {
  it('finds JavaScript and TypeScript skips and focuses in test files', () => {
    expect(
      markers(
        ['src/sum.test.ts', "it.skip('adds', () => {"],
        ['src/sum.spec.js', "  describe.only('sum', () => {"],
        ['test/index.mjs', "xit('adds', () => {});"],
        ['__tests__/a.tsx', 'test.concurrent.skip(`adds`, async () => {});'],
        ['src/sum.test.ts', "fdescribe('sum', () => {"],
        ['test/hooks.js', '    this.skip();'],
        ['test/node.test.js', "test('adds', { skip: true }, () => {});"],
        ['test/node.test.js', "test('adds', { only: 'focus' }, () => {});"],
        ['test/tap.js', "  t.skip('adds', (t) => t.end());"],
      ),
    ).toEqual(['it.skip', 'describe.only', 'xit', 'test.concurrent.skip', 'fdescribe', 'this.skip', 'skip: true', "only: '", 't.skip']);
  });

  it('finds Python, Go and Rust skips', () => {
    expect(
      markers(
        ['tests/test_sum.py', '@pytest.mark.skip(reason="flaky")'],
        ['tests/test_sum.py', '@pytest.mark.xfail'],
        ['pkg/sum_test.py', '    pytest.skip("later")'],
        ['test/test_x.py', '    @unittest.skip("broken")'],
        ['test/test_x.py', '    @skip("broken")'],
        ['test/test_x.py', '        self.skipTest("no")'],
        ['conftest.py', '    raise unittest.SkipTest("off")'],
        ['tests/test_x.py', '    @unittest.expectedFailure'],
        ['sum_test.go', '\tt.Skip("later")'],
        ['sum_test.go', '\tt.Skipf("%s", x)'],
        ['sum_test.go', '\tb.SkipNow()'],
        ['src/lib.rs', '    #[ignore]'],
        ['tests/it.rs', '#[ignore = "slow"]'],
      ),
    ).toEqual([
      '@pytest.mark.skip',
      '@pytest.mark.xfail',
      'pytest.skip',
      '@unittest.skip',
      '@skip',
      '.skipTest',
      'raise unittest.SkipTest',
      '@unittest.expectedFailure',
      't.Skip',
      't.Skipf',
      'b.SkipNow',
      '#[ignore',
      '#[ignore',
    ]);
  });

  it('names the file and line', () => {
    expect(findDisabledTests(added(['a.ts', 'x'], ['src/a.test.ts', "it.skip('x', f)"]))).toEqual([
      { file: 'src/a.test.ts', line: 2, marker: 'it.skip' },
    ]);
  });

  it('leaves conditional skips, comments, look-alikes, other files and allowed lines alone', () => {
    expect(
      markers(
        ['src/sum.test.ts', "it.skipIf(process.platform === 'win32')('adds', () => {});"],
        ['src/sum.test.ts', "it.todo('subtracts');"],
        ['src/sum.test.ts', "// it.skip('adds', () => {"],
        ['src/sum.test.ts', "submit.skip('x')"],
        ['src/sum.test.ts', 'const { skip: false } = o;'],
        ['src/sum.ts', "it.skip('not a test file', () => {"],
        ['src/sum.test.ts', `it.skip('needs a server', () => {}); // ${ALLOW_SKIP_MARKER}`],
        ['tests/test_sum.py', '@pytest.mark.skipif(sys.version_info < (3, 9), reason="old")'],
        ['tests/test_sum.py', '@unittest.skipIf(True, "x")'],
        ['tests/test_sum.py', '# @pytest.mark.skip'],
        ['sum.py', '@pytest.mark.skip'],
        ['sum_test.go', '\t// t.Skip("later")'],
        ['sum.go', '\tt.Skip("not a test file")'],
        ['src/lib.rs', '// #[ignore]'],
        ['src/lib.rs', '#[cfg_attr(miri, ignore)]'],
      ),
    ).toEqual([]);
  });
});

describe('holdsTests', () => {
  it('tells test files from the rest', () => {
    expect(
      [
        'a.test.ts',
        'src/a.spec.mjs',
        'test.js',
        'pkg/tests.mjs',
        'test/a.js',
        'tests/test_a.py',
        'a_test.py',
        'conftest.py',
        'x_test.go',
        'src/lib.rs',
      ].every(holdsTests),
    ).toBe(true);
    expect(['src/a.ts', 'src/latest.js', 'README.md', 'a.py', 'x.go', 'test/data.json'].some(holdsTests)).toBe(false);
  });
});
