import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFindings } from './parse';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string): string => readFileSync(path.join(here, '..', '__fixtures__', 'findings', 'biome', name), 'utf8');
const brief = (output: string) =>
  parseFindings(output, 'biome').map(
    (f) => `${path.basename(f.file)}${f.line === undefined ? '' : `:${f.line}:${f.column}`} ${f.severity} ${f.rule}`,
  );

describe('parseFindings biome', () => {
  it('reads `biome lint --reporter=github`, leaving out the banner and "Some errors were emitted"', () => {
    const found = parseFindings(fixture('biome-lint-github.out'), 'biome');
    expect(found).toHaveLength(10);
    expect(found[0]).toEqual({
      file: '/home/user/src/ts/src/app.ts',
      line: 3,
      column: 30,
      rule: 'lint/suspicious/noExplicitAny',
      severity: 'warning',
      message: 'Unexpected any. Specify a different type.',
    });
    expect(found[7]).toEqual({
      file: '/home/user/src/ts/src/broken.ts',
      line: 2,
      column: 10,
      rule: 'parse',
      severity: 'error',
      message: 'expected `:` but instead found `1`',
    });
  });

  it('reads `biome check --reporter=github`, its formatting diagnostics being about whole files', () => {
    const found = brief(fixture('biome-check-github.out'));
    expect(found).toHaveLength(15);
    expect(found.filter((f) => f.endsWith(' format'))).toEqual(['bundle.js error format', 'app.ts error format', 'util.ts error format']);
  });

  it('reads `biome format --reporter=github`', () => {
    expect(brief(fixture('biome-format-github.out'))).toEqual([
      'bundle.js error format',
      'app.ts error format',
      'broken.ts:2:10 error parse',
      'broken.ts:2:11 error parse',
      'broken.ts:3:1 error parse',
      'util.ts error format',
    ]);
  });

  it('reads `--reporter=concise` as the github reporter, with paths relative to the working directory', () => {
    const concise = parseFindings(fixture('biome-lint-concise.out'), 'biome');
    const github = parseFindings(fixture('biome-lint-github.out'), 'biome');
    expect(concise.map((f) => f.file)).toContain('src/app.ts');
    expect(concise).toEqual(github.map((f) => ({ ...f, file: path.relative('/home/user/src/ts', f.file) })));
  });

  it('reads `biome format --reporter=concise`, leaving out "Checked 5 files" and "Found 6 errors."', () => {
    expect(brief(fixture('biome-format-concise.out'))).toEqual([
      'bundle.js error format',
      'app.ts error format',
      'broken.ts:2:10 error parse',
      'broken.ts:2:11 error parse',
      'broken.ts:3:1 error parse',
      'broken.ts error format',
      'util.ts error format',
    ]);
  });
});
