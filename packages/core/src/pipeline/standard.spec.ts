import { LANGUAGES } from '../domain/language';
import { standardPipeline } from './standard';

describe('standardPipeline', () => {
  it.each(LANGUAGES)('gives %s an implement and unit-test stage with real commands', (lang) => {
    const p = standardPipeline(lang);
    const names = p.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['implement', 'unit-test']));
    for (const s of p) {
      expect(s.command.trim()).not.toBe('');
      expect(s.timeout_seconds).toBeGreaterThan(0);
    }
  });

  it('orders go: implement → unit-test → coverage; lint, format, contract, security and integration-test by their needs; review last', () => {
    const p = standardPipeline('go');
    expect(p.map((s) => [s.name, s.needs])).toEqual([
      ['implement', []],
      ['unit-test', ['implement']],
      ['coverage', ['unit-test']],
      ['lint', []],
      ['format', []],
      ['contract', []],
      ['security', []],
      ['integration-test', ['unit-test']],
      ['review', ['coverage', 'lint', 'format', 'contract', 'security', 'integration-test']],
    ]);
  });

  it.each(LANGUAGES)(
    'gives %s the built-in contract and security stages, needing nothing, and the review stage after every other',
    (lang) => {
      const p = standardPipeline(lang);
      expect(p.filter((s) => s.builtin).map((s) => [s.name, s.builtin])).toEqual([
        ['contract', 'contract'],
        ['security', 'security'],
        ['review', 'review'],
      ]);
      expect(p.filter((s) => s.builtin && s.name !== 'review').every((s) => s.needs.length === 0)).toBe(true);
      // Every other stage comes before the review, directly or through what it needs.
      const before = new Set<string>();
      const visit = (n: string) => {
        for (const m of p.find((s) => s.name === n)?.needs ?? [])
          if (!before.has(m)) {
            before.add(m);
            visit(m);
          }
      };
      visit('review');
      expect([...before].sort()).toEqual(
        p
          .filter((s) => s.name !== 'review')
          .map((s) => s.name)
          .sort(),
      );
    },
  );

  it('runs Python through $PYTHON, defaulting to python3', () => {
    for (const s of standardPipeline('python')) if (!s.builtin) expect(s.command).toContain('"${PYTHON:-python3}"');
  });

  it('marks the coverage stage with the toolchain parser and the gate', () => {
    expect(standardPipeline('python').find((s) => s.name === 'coverage')?.coverage).toEqual({ parser: 'coverage-py', gate: true });
    expect(standardPipeline('rust').find((s) => s.name === 'coverage')?.coverage).toEqual({ parser: 'llvm-cov', gate: true });
  });

  it('leaves out stages a language has no command for instead of faking them', () => {
    expect(standardPipeline('gleam').map((s) => s.name)).not.toContain('coverage');
    expect(standardPipeline('typescript').map((s) => s.name)).not.toContain('e2e');
  });

  it('uses the seed commands for compile and test', () => {
    const cmd = (l: (typeof LANGUAGES)[number], n: string) => standardPipeline(l).find((s) => s.name === n)?.command;
    expect(cmd('go', 'implement')).toBe('go build ./...');
    expect(cmd('go', 'unit-test')).toBe('go test ./...');
    expect(cmd('rust', 'unit-test')).toBe('cargo test');
    expect(cmd('gleam', 'unit-test')).toBe('gleam test');
    expect(cmd('python', 'unit-test')).toBe('"${PYTHON:-python3}" -m pytest -q -p no:cacheprovider');
  });
});
