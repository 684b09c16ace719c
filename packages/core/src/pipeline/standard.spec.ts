import { LANGUAGES } from '../domain/language';
import { profileFor } from '../testing/profiles';
import { standardPipeline } from './standard';

describe('standardPipeline', () => {
  it.each(LANGUAGES)("gives %s an implement and unit-test stage with the detected tool's command", (lang) => {
    const p = standardPipeline(profileFor(lang));
    expect(p.map((s) => s.name)).toEqual(expect.arrayContaining(['implement', 'unit-test']));
    for (const s of p) {
      expect(s.command.trim()).not.toBe('');
      expect(s.timeout_seconds).toBeGreaterThan(0);
    }
  });

  it('makes a stage depend on another only when it uses its output: coverage on unit-test, review on every other', () => {
    const p = standardPipeline(profileFor('go'));
    expect(p.map((s) => [s.name, s.needs])).toEqual([
      ['implement', []],
      ['unit-test', []],
      ['coverage', ['unit-test']],
      ['lint', []],
      ['format', []],
      ['contract', []],
      ['security', []],
      ['integration-test', []],
      ['review', ['implement', 'coverage', 'lint', 'format', 'contract', 'security', 'integration-test']],
    ]);
  });

  it.each(LANGUAGES)('gives %s the built-in contract, security and review stages', (lang) => {
    const p = standardPipeline(profileFor(lang));
    expect(p.filter((s) => ['contract', 'security', 'review'].includes(s.builtin ?? '')).map((s) => [s.name, s.builtin])).toEqual([
      ['contract', 'contract'],
      ['security', 'security'],
      ['review', 'review'],
    ]);
  });

  it('checks coverage from the unit-test run: the test stage records its figure, the coverage stage is the built-in gate', () => {
    const p = standardPipeline(profileFor('python'));
    expect(p.find((s) => s.name === 'unit-test')?.coverage).toEqual({ parser: 'coverage-py', gate: false });
    expect(p.find((s) => s.name === 'coverage')).toMatchObject({ builtin: 'coverage', needs: ['unit-test'] });
    expect(standardPipeline(profileFor('rust')).find((s) => s.name === 'unit-test')?.coverage).toEqual({ parser: 'llvm-cov', gate: false });
  });

  it('keeps a stage whose tool the project lacks, saying so, instead of running a tool the project does not use', () => {
    const p = standardPipeline(
      profileFor('typescript', { lint: { tool: 'none', why: 'no ESLint configuration', notConfigured: 'add eslint' } }),
    );
    expect(p.find((s) => s.name === 'lint')).toMatchObject({
      command: '(not configured: none)',
      unavailable: { kind: 'not-configured', message: 'add eslint' },
    });
    const missing = standardPipeline(
      profileFor('typescript', { lint: { tool: 'eslint', why: 'eslint.config.mjs', missing: 'npm install -D eslint' } }),
    );
    expect(missing.find((s) => s.name === 'lint')?.unavailable).toEqual({ kind: 'missing', message: 'npm install -D eslint' });
  });

  it('judges lint and format on the change, with the findings format of the tool', () => {
    const p = standardPipeline(profileFor('typescript'));
    expect(p.find((s) => s.name === 'lint')).toMatchObject({ findings: 'eslint-stylish', scope: 'change', tool: 'eslint' });
    expect(p.find((s) => s.name === 'format')).toMatchObject({ findings: 'file-list', scope: 'change', tool: 'prettier' });
  });

  it('says coverage is not configured when the test run cannot measure it', () => {
    const p = standardPipeline(profileFor('gleam'));
    expect(p.find((s) => s.name === 'coverage')?.unavailable).toEqual({
      kind: 'not-configured',
      message: 'give the coverage stage a command in the contract',
    });
  });

  it('leaves out stages a language has no tool for instead of faking them', () => {
    expect(standardPipeline(profileFor('typescript')).map((s) => s.name)).not.toContain('e2e');
    expect(standardPipeline(profileFor('rust')).map((s) => s.name)).not.toContain('integration-test');
  });

  it('runs Python through $PYTHON, defaulting to python3', () => {
    for (const s of standardPipeline(profileFor('python')))
      if (!s.builtin && !s.unavailable) expect(s.command).toContain('"${PYTHON:-python3}"');
  });
});
