import type { Stage } from '../domain/stage';
import { attemptMessage, commitMessage, describeFiles } from './message';
import { DEFAULT_TEST_PATTERNS, resolveTcrSettings } from './settings';
import { tcrStages } from './stages';
import { compileGlobs } from '../repo/glob';

const stage = (name: string, needs: string[] = []): Stage => ({
  name,
  description: name,
  command: 'true',
  timeout_seconds: 1,
  required_success: true,
  needs,
});

describe('tcrStages', () => {
  const pipeline = [
    stage('implement'),
    stage('unit-test', ['implement']),
    stage('lint'),
    stage('coverage', ['unit-test']),
    stage('e2e', ['unit-test']),
  ];

  it('runs what the test stages need first, as the build, in pipeline order', () => {
    const r = tcrStages(pipeline, ['unit-test']);
    expect(r.build.map((s) => s.name)).toEqual(['implement']);
    expect(r.tests.map((s) => s.name)).toEqual(['unit-test']);
  });

  it('does not count a test stage that another needs as build', () => {
    const r = tcrStages(pipeline, ['e2e', 'unit-test']);
    expect(r.build.map((s) => s.name)).toEqual(['implement']);
    expect(r.tests.map((s) => s.name)).toEqual(['unit-test', 'e2e']);
  });

  it("builds with the pipeline's implement stage though the tests do not need it (the standard pipeline: vitest passed code tsc refuses, and TCR committed it)", () => {
    const standard = [
      stage('codegen'),
      stage('implement', ['codegen']),
      stage('unit-test'),
      stage('lint'),
      stage('coverage', ['unit-test']),
    ];
    const r = tcrStages(standard, ['unit-test']);
    expect(r.build.map((s) => s.name)).toEqual(['codegen', 'implement']);
    expect(r.tests.map((s) => s.name)).toEqual(['unit-test']);
    expect(tcrStages([stage('unit-test'), stage('lint')], ['unit-test']).build).toEqual([]);
  });

  it('names a test stage the pipeline lacks and the stages it has', () => {
    expect(() => tcrStages(pipeline, ['integration-test'])).toThrow(
      /"integration-test" is not in the task's pipeline \(it has implement, unit-test, lint, coverage, e2e\)/,
    );
  });
});

describe('commitMessage', () => {
  it('names the task first, lists what passed, and ends with the Factory-Task trailer', () => {
    expect(commitMessage('bd-1', [{ path: 'a.ts', kind: 'modified' }], ['implement', 'unit-test'])).toBe(
      'bd-1: update a.ts\n\nTCR: implement, unit-test passed.\n\nFactory-Task: bd-1\n',
    );
  });

  it('takes a given summary, and lists every file when there are many', () => {
    const files = ['a', 'b', 'c', 'd'].map((p) => ({ path: p, kind: 'added' as const }));
    expect(commitMessage('bd-1', files, ['unit-test'], 'add four')).toBe(
      'bd-1: add four\n\nTCR: unit-test passed.\n\n- add a\n- add b\n- add c\n- add d\n\nFactory-Task: bd-1\n',
    );
    expect(describeFiles(files)).toBe('add a, add b, add c and 1 more');
  });

  it('writes why an attempt was reverted, with its files', () => {
    expect(
      attemptMessage('bd-1', { stage: 'unit-test', summary: 'AssertionError: 1 == 2\nmore' }, [{ path: 'x.ts', kind: 'deleted' }]),
    ).toBe(
      'bd-1: reverted attempt: delete x.ts\n\nTCR: unit-test failed: AssertionError: 1 == 2\n\n- delete x.ts\n\nFactory-Task: bd-1\nFactory-TCR: reverted\n',
    );
  });
});

describe('resolveTcrSettings', () => {
  it('defaults to unit-test, relaxed, the usual test files and one attempt', () => {
    expect(resolveTcrSettings(undefined)).toEqual({
      stages: ['unit-test'],
      variant: 'relaxed',
      test_patterns: [...DEFAULT_TEST_PATTERNS],
      max_attempts: 1,
      debounce_ms: 400,
    });
  });

  it('lets options override config.yaml, and ignores options left unset', () => {
    expect(resolveTcrSettings({ variant: 'strict', stages: ['e2e'] }, { variant: undefined, stages: ['unit-test'] })).toMatchObject({
      variant: 'strict',
      stages: ['unit-test'],
    });
  });

  it('names config.yaml and the tcr field on a bad value', () => {
    expect(() => resolveTcrSettings({ stages: [] })).toThrow(/\.factory\/config\.yaml: tcr\.stages: expected at least 1 items/);
    expect(() => resolveTcrSettings({ test_patterns: ['../x'] })).toThrow(/tcr\.test_patterns\.0: expected a glob inside the repository/);
    expect(() => resolveTcrSettings({ colour: 'red' })).toThrow(/tcr: unknown field "colour"/);
  });
});

describe('DEFAULT_TEST_PATTERNS', () => {
  it('match the usual test files of Factory languages, and not sources', () => {
    const isTest = compileGlobs(DEFAULT_TEST_PATTERNS);
    for (const f of [
      'src/a.test.ts',
      'a.spec.js',
      'pkg/x_test.go',
      'tests/test_x.py',
      'test_y.py',
      'test/a.js',
      'src/__tests__/b.tsx',
      'test/x_test.gleam',
      'tests/it.rs',
    ])
      expect([f, isTest(f)]).toEqual([f, true]);
    for (const f of ['src/index.ts', 'main.go', 'lib/testing.py', 'src/contest.rs', 'latest/x.ts'])
      expect([f, isTest(f)]).toEqual([f, false]);
  });
});
