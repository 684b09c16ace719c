import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describePlan, detectProject, shownCommand, type ProjectProfile } from './index';
import { summarizeOutput } from '../process/summary';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'factory-detect-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const write = (files: Record<string, string>) => {
  for (const [f, c] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    writeFileSync(path.join(root, f), c);
  }
};
/** An installed npm tool: what a stage's command finds by name (node_modules/.bin is on its PATH). */
const bin = (dir: string, ...names: string[]) => Object.fromEntries(names.map((n) => [`${dir}/node_modules/.bin/${n}`, '#!/bin/sh\n']));
const detect = (language: ProjectProfile['language'], allowed: string[], working_directory?: string) =>
  detectProject(root, { language, allowed_files: allowed, working_directory, file: '.factory/t/contract.yaml' });
const profile = (...a: Parameters<typeof detect>) => {
  const p = detect(...a);
  if ('message' in p) throw new Error(p.message);
  return p;
};

describe('where the stages run', () => {
  it('is the deepest directory at or above the allowed files holding a manifest of the language', () => {
    write({ 'package.json': '{}', 'packages/lib/package.json': '{}', 'packages/lib/src/a.ts': '' });
    expect(profile('typescript', ['packages/lib/src/**'])).toMatchObject({
      directory: 'packages/lib',
      manifest: 'packages/lib/package.json',
      why: 'packages/lib/package.json covers the allowed files',
    });
  });

  it('is the one manifest below when none covers the allowed files (a project kept in a subdirectory)', () => {
    write({ 'package.json': '{}', 'vendor-x/third_party/radix/go.mod': 'module r\n' });
    expect(profile('go', ['vendor-x/**']).directory).toBe('vendor-x/third_party/radix');
  });

  it('refuses several candidates below, and a working_directory that is a file or is not there, naming the field', () => {
    write({ 'x/a/go.mod': '', 'x/b/go.mod': '', 'file.txt': '' });
    expect(detect('go', ['x/**'])).toMatchObject({
      field: 'working_directory',
      message: expect.stringContaining('found several (x/a/go.mod, x/b/go.mod)'),
    });
    expect(detect('go', ['**'], 'file.txt')).toEqual({
      file: '.factory/t/contract.yaml',
      field: 'working_directory',
      message: 'expected a directory of the repository, got a file: file.txt',
    });
    expect(detect('go', ['**'], 'nope')).toMatchObject({
      message: 'expected a directory of the repository, got nothing (it does not exist): nope',
    });
  });
});

describe('TypeScript and JavaScript', () => {
  it('picks vitest with its coverage provider, ESLint flat config and Prettier when the project has them', () => {
    write({
      'app/package.json': JSON.stringify({ devDependencies: { vitest: '^3' }, scripts: { test: 'vitest run' } }),
      'app/tsconfig.json': '{}',
      'app/node_modules/@vitest/coverage-v8/package.json': '{}',
      'eslint.config.mjs': 'export default [];',
      'app/.prettierrc': '{}',
      ...bin('app', 'vitest', 'tsc'),
      ...bin('.', 'eslint', 'prettier'),
    });
    const p = profile('typescript', ['app/**']);
    expect(p.tools['unit-test']).toMatchObject({ tool: 'vitest', coverage: { parser: 'istanbul-text' } });
    expect(p.tools['unit-test']?.command).toContain("vitest run --exclude '**/.factory/**' --coverage.enabled=true");
    expect(p.tools.lint).toMatchObject({ tool: 'eslint', why: 'eslint.config.mjs', findings: 'eslint-stylish' });
    expect(p.tools.lint?.command).toBe("eslint . --ignore-pattern '.factory/'");
    expect(p.tools.format).toMatchObject({ tool: 'prettier', why: 'app/.prettierrc', findings: 'unified-diff' });
    expect(p.tools.implement?.command).toBe('tsc --noEmit -p .');
    // The configuration files found are part of the stages' cache key.
    expect(p.watched).toEqual(expect.arrayContaining(['app/package.json', 'app/tsconfig.json', 'eslint.config.mjs', 'app/.prettierrc']));
  });

  it("runs vitest's type tests where the test script asks for them (unjs/ufo: `vitest run --typecheck`)", () => {
    write({
      'a/package.json': JSON.stringify({ scripts: { test: 'pnpm lint && vitest run --typecheck' }, devDependencies: { vitest: '3' } }),
      'a/node_modules/@vitest/coverage-v8/package.json': '{}',
      ...bin('a', 'vitest'),
      'b/package.json': JSON.stringify({
        scripts: { test: 'vitest run', typecheck: 'tsc --noEmit --typecheck' },
        devDependencies: { vitest: '3' },
      }),
      ...bin('b', 'vitest'),
    });
    expect(profile('typescript', ['a/**']).tools['unit-test']).toMatchObject({
      command: expect.stringMatching(/^CI=true vitest run --exclude '\*\*\/\.factory\/\*\*' --typecheck --coverage\.enabled=true /),
      why: 'vitest in package.json; the test script runs its type tests (--typecheck); coverage by @vitest/coverage-v8',
    });
    expect(profile('typescript', ['b/**']).tools['unit-test']?.command).toBe("CI=true vitest run --exclude '**/.factory/**'");
  });

  it("says style is checked in lint where ESLint runs standard's rules (fastify/fastify-plugin: neostandard)", () => {
    write({
      'a/package.json': JSON.stringify({ devDependencies: { eslint: '9', neostandard: '0.12' } }),
      'a/eslint.config.js': "'use strict'\n\nmodule.exports = require('neostandard')({ ts: true })\n",
      ...bin('a', 'eslint'),
    });
    const t = profile('typescript', ['a/**']).tools;
    expect(t.lint).toMatchObject({ tool: 'eslint', why: 'a/eslint.config.js (neostandard)' });
    expect(t.format).toMatchObject({
      tool: 'none',
      notConfigured: expect.stringMatching(/^ESLint \(neostandard\) checks the code's style in the lint stage/),
    });
  });

  it("formats with Prettier where only the project's format script sets it up, with that script's style options (Rich-Harris/magic-string)", () => {
    const prettier = path.resolve(
      path.dirname(new URL(import.meta.url).pathname),
      '..',
      '..',
      '..',
      '..',
      'node_modules',
      '.bin',
      'prettier',
    );
    write({
      // As Prettier writes it with these options: tabs.
      'package.json': `${JSON.stringify(
        { scripts: { format: 'prettier --single-quote --print-width 100 --use-tabs --write .' }, devDependencies: { prettier: '3' } },
        null,
        '\t',
      )}\n`,
      'src/locator.js': "export function locate(line, column) {\n\treturn { line, column: 'x' };\n}\n",
    });
    mkdirSync(path.join(root, 'node_modules', '.bin'), { recursive: true });
    symlinkSync(prettier, path.join(root, 'node_modules', '.bin', 'prettier'));
    const format = profile('typescript', ['**']).tools.format;
    expect(format).toMatchObject({
      tool: 'prettier',
      why: 'the format script in package.json; the format script formats `.` with `--single-quote --print-width 100 --use-tabs`',
      findings: 'unified-diff',
    });
    const tmp = mkdtempSync(path.join(tmpdir(), 'factory-prettier-'));
    const check = () =>
      spawnSync('bash', ['-c', format?.command ?? ''], { cwd: root, encoding: 'utf8', env: { ...process.env, FACTORY_TMP: tmp } });
    try {
      // Formatted as the project's options say: nothing to report (Prettier's defaults would rewrite the quotes and the tab).
      expect(check().status).toBe(0);
      write({ 'src/locator.js': "export function locate(line, column) {\n\treturn {line,column: 'x'}   ;\n}\n" });
      const bad = check();
      expect(bad.status).not.toBe(0);
      expect(bad.stdout).toContain("+\treturn { line, column: 'x' };");
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("lints what the project's lint script lints, with its options that choose files and rules (jshttp/statuses: `eslint --plugin markdown --ext js,md .`)", () => {
    write({
      'a/package.json': JSON.stringify({
        scripts: { lint: 'eslint --plugin markdown --ext js,md .' },
        devDependencies: { 'eslint-config-standard': '14' },
      }),
      'a/.eslintrc.yml': 'root: true\nextends: standard\n',
      'b/package.json': JSON.stringify({ scripts: { lint: 'eslint --fix --max-warnings=0 --cache -f pretty src test' } }),
      'b/eslint.config.js': '',
      'c/package.json': JSON.stringify({ scripts: { lint: 'eslint --some-new-option x src' } }),
      'c/eslint.config.js': '',
      'd/package.json': JSON.stringify({ scripts: { test: 'mocha && eslint' } }),
      'd/.eslintrc.json': '{ "extends": ["semistandard", "plugin:n/recommended"] }',
      'e/package.json': JSON.stringify({
        scripts: { lint: 'npm run eslint', eslint: 'eslint "**/*.{js,cjs,ts,mjs,jsx,tsx}"', postlint: 'template-oss-check' },
      }),
      'e/.eslintrc.js': 'module.exports = {}\n',
      ...bin('.', 'eslint'),
    });
    const a = profile('typescript', ['a/**']).tools;
    expect(a.lint).toMatchObject({
      command: "ESLINT_USE_FLAT_CONFIG=false eslint --plugin markdown --ext js,md . --ignore-pattern '.factory/'",
      why: 'a/.eslintrc.yml (legacy configuration) (eslint-config-standard); as the lint script runs it: `eslint --plugin markdown --ext js,md .`',
    });
    expect(a.format?.notConfigured).toMatch(/^ESLint \(eslint-config-standard\) checks the code's style in the lint stage/);
    // A judged run changes nothing and reports in stylish form: --fix, --cache, -f are left out.
    expect(profile('typescript', ['b/**']).tools.lint?.command).toBe("eslint src test --ignore-pattern '.factory/'");
    // An option not known here: everything, as before.
    expect(profile('typescript', ['c/**']).tools.lint?.command).toBe("eslint . --ignore-pattern '.factory/'");
    const d = profile('typescript', ['d/**']).tools;
    expect(d.lint?.command).toBe("ESLINT_USE_FLAT_CONFIG=false eslint . --ignore-pattern '.factory/'");
    expect(d.lint?.why).toBe('d/.eslintrc.json (legacy configuration) (eslint-config-semistandard)');
    // A lint script that runs another (npm/node-semver): that one's files, not `.` (a new .cjs passed).
    expect(profile('typescript', ['e/**']).tools.lint?.command).toBe(
      `ESLINT_USE_FLAT_CONFIG=false eslint "**/*.{js,cjs,ts,mjs,jsx,tsx}" --ignore-pattern '.factory/'`,
    );
  });

  it("checks with Prettier the files the project's own scripts check (unjs/ufo: `prettier -c src test`), else every file", () => {
    write({
      'a/package.json': JSON.stringify({ scripts: { lint: 'eslint . && prettier -c src test', format: 'prettier --write .' } }),
      'a/.prettierrc': '{}',
      'b/package.json': JSON.stringify({ scripts: { 'lint:format': "prettier --check --cache '**/*.{ts,md}'" } }),
      'b/.prettierrc': '{}',
      'c/package.json': JSON.stringify({ scripts: { lint: 'prettier --check . --log-level warn' } }),
      'c/.prettierrc': '{}',
      ...bin('.', 'prettier'),
    });
    const a = profile('typescript', ['a/**']).tools.format;
    expect(a).toMatchObject({ tool: 'prettier', why: 'a/.prettierrc; the lint script checks `src test`', findings: 'unified-diff' });
    expect(a?.command).toMatch(/^prettier --list-different src test >/);
    expect(profile('typescript', ['b/**']).tools.format?.command).toMatch(/^prettier --list-different '\*\*\/\*\.\{ts,md\}' >/);
    // An option this does not know (its value would pass for a path): every file, as before.
    expect(profile('typescript', ['c/**']).tools.format).toMatchObject({
      why: 'c/.prettierrc',
      command: expect.stringMatching(/^prettier --list-different \. >/),
    });
  });

  it('says "not configured" for tools the project does not have, and how to add them; never c8 when it is not installed', () => {
    write({ 'app/package.json': JSON.stringify({ scripts: { test: 'node --test' } }), 'app/tsconfig.json': '{}', ...bin('app', 'tsc') });
    const p = profile('typescript', ['app/**']);
    expect(p.tools.lint).toMatchObject({ tool: 'none', notConfigured: expect.stringContaining('eslint') });
    expect(p.tools.format).toMatchObject({ tool: 'none', notConfigured: expect.stringContaining('prettier') });
    expect(p.tools['unit-test']).toMatchObject({ tool: 'node:test', command: 'node --experimental-test-coverage --test' });
    expect(JSON.stringify(p)).not.toContain('c8');
  });

  it('measures mocha under the coverage tool the project installed: c8, else nyc, with their files in the stage folder', () => {
    write({
      'a/package.json': JSON.stringify({ devDependencies: { mocha: '10', nyc: '15' }, scripts: { test: 'mocha test/test.js' } }),
      ...bin('a', 'mocha', 'nyc'),
      'b/package.json': JSON.stringify({ devDependencies: { mocha: '10', c8: '10', nyc: '15' } }),
      ...bin('b', 'mocha', 'c8', 'nyc'),
      'c/package.json': JSON.stringify({ devDependencies: { mocha: '10' } }),
      ...bin('c', 'mocha'),
    });
    expect(profile('typescript', ['a/**']).tools).toMatchObject({
      'unit-test': {
        tool: 'mocha under nyc',
        command:
          'nyc --reporter=text-summary --temp-directory="$FACTORY_TMP/nyc" --report-dir="$FACTORY_TMP/nyc-report" mocha test/test.js',
        why: 'mocha in package.json; the test script gives it `test/test.js`; nyc is installed',
        coverage: { parser: 'istanbul-text' },
      },
      coverage: { tool: 'nyc', why: 'the unit-test run measures it (nyc is installed)' },
    });
    expect(profile('typescript', ['b/**']).tools['unit-test']?.command).toBe(
      'c8 --reporter=text-summary --temp-directory="$FACTORY_TMP/c8" mocha',
    );
    expect(profile('typescript', ['c/**']).tools.coverage).toMatchObject({ tool: 'none', notConfigured: 'add c8: npm install -D c8' });
  });

  it("gives mocha the files and options of the test script (async-mutex: `mocha test/*.ts`, mocha's default spec finds no .ts)", () => {
    const pkg = (test: string) => JSON.stringify({ devDependencies: { mocha: '10' }, scripts: { test } });
    write({
      'a/package.json': pkg("nyc --reporter=text-summary mocha 'test/**/*.spec.ts' --timeout 5000 && eslint ."),
      'a/.mocharc.json': '{ "require": "ts-node/register" }',
      ...bin('a', 'mocha'),
      'b/package.json': pkg('mocha $(ls test/*.js)'),
      ...bin('b', 'mocha'),
    });
    expect(profile('typescript', ['a/**']).tools['unit-test']).toMatchObject({
      command: "mocha 'test/**/*.spec.ts' --timeout 5000",
      why: "a/.mocharc.json; the test script gives it `'test/**/*.spec.ts' --timeout 5000`",
    });
    // Words that are not plain (an expansion) are never passed on: mocha runs with its configuration.
    expect(profile('typescript', ['b/**']).tools['unit-test']?.command).toBe('mocha');
  });

  it("lets warnings pass as the project's own lint does, unless its scripts make them fail", () => {
    write({
      'a/package.json': JSON.stringify({ scripts: { lint: 'eslint .' } }),
      'a/eslint.config.js': '',
      ...bin('a', 'eslint'),
      'b/package.json': JSON.stringify({ scripts: { lint: 'npm run x && eslint --max-warnings=0 src' } }),
      'b/eslint.config.js': '',
      ...bin('b', 'eslint'),
      'c/package.json': JSON.stringify({ scripts: { check: 'biome lint --error-on-warnings .' } }),
      'c/biome.json': '{}',
      ...bin('c', 'biome'),
      'd/package.json': JSON.stringify({ scripts: { lint: 'oxlint' }, devDependencies: { oxlint: '1' } }),
      ...bin('d', 'oxlint'),
      'e/package.json': JSON.stringify({ scripts: { lint: 'eslint --max-warnings 10 .' } }),
      'e/eslint.config.js': '',
      ...bin('e', 'eslint'),
    });
    expect(profile('typescript', ['a/**']).tools.lint?.warningsPass).toBe(true);
    expect(profile('typescript', ['b/**']).tools.lint?.warningsPass).toBeUndefined();
    expect(profile('typescript', ['c/**']).tools.lint?.warningsPass).toBeUndefined();
    expect(profile('typescript', ['d/**']).tools.lint).toMatchObject({ tool: 'oxlint', warningsPass: true });
    expect(profile('typescript', ['e/**']).tools.lint?.warningsPass).toBe(true);
  });

  it('says how to install a tool the project configures but this machine lacks', () => {
    write({ 'app/package.json': JSON.stringify({ devDependencies: { jest: '^30' } }), 'app/eslint.config.js': 'module.exports = [];' });
    const p = profile('typescript', ['app/**']);
    expect(p.tools['unit-test']).toMatchObject({
      missing: 'jest is configured (jest in package.json) but not installed: npm install -D jest',
    });
    expect(p.tools.lint?.missing).toBe('ESLint is configured (app/eslint.config.js) but not installed: npm install -D eslint');
  });

  it('reads a legacy ESLint configuration with ESLint told so, and uses Biome or oxlint when configured instead', () => {
    write({
      'a/package.json': '{}',
      'a/.eslintrc.json': '{}',
      ...bin('a', 'eslint'),
      'b/package.json': '{}',
      'b/biome.json': '{}',
      ...bin('b', 'biome'),
      'c/package.json': JSON.stringify({ scripts: { lint: 'biome check --error-on-warnings .' } }),
      'c/biome.json': '{}',
      ...bin('c', 'biome'),
    });
    expect(profile('typescript', ['a/**']).tools.lint?.command).toBe("ESLINT_USE_FLAT_CONFIG=false eslint . --ignore-pattern '.factory/'");
    const ignores = '--vcs-enabled=true --vcs-client-kind=git --vcs-use-ignore-file=true';
    expect(profile('typescript', ['b/**']).tools.lint).toMatchObject({
      tool: 'biome',
      command: `biome lint --reporter=github ${ignores} .`,
      findings: 'biome',
    });
    // The project's own check is `biome check` (jaredwray/hookified): the imports' order is judged too, formatting is the format stage's.
    expect(profile('typescript', ['c/**']).tools.lint).toMatchObject({
      command: `biome check --formatter-enabled=false --reporter=github ${ignores} .`,
      why: expect.stringContaining('biome check'),
    });
    // Formatting: the files Biome would reformat, each diffed with what Biome makes of it, for the lines.
    const format = profile('typescript', ['b/**']).tools.format;
    expect(format).toMatchObject({ tool: 'biome', findings: 'unified-diff' });
    expect(format?.command?.split('\n')[0]).toBe(`biome format --reporter=github ${ignores} . >"$FACTORY_TMP/biome-format.out" 2>&1; s=$?`);
    expect(format?.command).toContain('biome format --stdin-file-path="$f" <"$f" | diff -U0');
  });

  it('lints with XO where the project uses it (sindresorhus/p-limit: xo in devDependencies, no configuration file)', () => {
    write({
      'a/package.json': JSON.stringify({ scripts: { test: 'xo && ava && tsd' }, devDependencies: { xo: '^1.2.1', ava: '^6' } }),
      ...bin('a', 'xo'),
      'b/package.json': JSON.stringify({ xo: { space: true } }),
      'c/package.json': '{}',
      'c/xo.config.js': 'export default [];',
      ...bin('c', 'xo'),
      'd/package.json': JSON.stringify({ devDependencies: { xo: '1' } }),
      'd/eslint.config.mjs': 'export default [];',
      ...bin('d', 'eslint'),
      ...bin('d', 'xo'),
    });
    expect(profile('typescript', ['a/**']).tools.lint).toEqual({
      tool: 'xo',
      command: "xo --reporter=stylish --ignore='.factory/**'",
      why: 'a/package.json',
      findings: 'eslint-stylish',
      warningsPass: true,
    });
    expect(profile('typescript', ['b/**']).tools.lint).toMatchObject({
      tool: 'xo',
      missing: 'XO is configured (b/package.json) but not installed: npm install -D xo',
    });
    expect(profile('typescript', ['c/**']).tools.lint).toMatchObject({ tool: 'xo', why: 'c/xo.config.js' });
    // An ESLint configuration of its own comes first.
    expect(profile('typescript', ['d/**']).tools.lint).toMatchObject({ tool: 'eslint' });
  });

  it('runs the pretest script first when it builds what the tests import (yargs-parser: mocha on build/, compiled by its pretest), not when it only lints', () => {
    write({
      'y/package.json': JSON.stringify({
        scripts: { pretest: 'rimraf build && tsc -p tsconfig.test.json', test: 'c8 --reporter=text mocha test/*.mjs' },
        devDependencies: { mocha: '10', c8: '9' },
      }),
      ...bin('y', 'mocha', 'c8'),
      'l/package.json': JSON.stringify({ scripts: { pretest: 'eslint .', test: 'mocha' }, devDependencies: { mocha: '10' } }),
      ...bin('l', 'mocha'),
      'n/package.json': JSON.stringify({ scripts: { pretest: 'npm run build', test: 'node test/index.js' } }),
    });
    expect(profile('typescript', ['y/**']).tools['unit-test']).toMatchObject({
      command: expect.stringMatching(/^npm run -s pretest && c8 .* mocha test\/\*\.mjs$/),
      why: expect.stringContaining('after the pretest script, which builds (`rimraf build && tsc -p tsconfig.test.json`)'),
    });
    expect(profile('typescript', ['l/**']).tools['unit-test']?.command).toBe('mocha');
    // npm test runs its pretest itself.
    expect(profile('typescript', ['n/**']).tools['unit-test']?.command).toBe('npm test');
  });

  it("runs node-tap by itself, with its own coverage and thresholds, never under Factory's nyc (npm/ini: green below its 100 %)", () => {
    write({
      'packages/ini/package.json': JSON.stringify({
        scripts: { test: 'tap', posttest: 'npm run lint' },
        devDependencies: { tap: '^16.0.1' },
      }),
      ...bin('packages/ini', 'tap', 'nyc'),
      'b/package.json': JSON.stringify({ scripts: { test: 'tape test/*.js' }, devDependencies: { tape: '5' } }),
      ...bin('b', 'tape'),
      'c/package.json': JSON.stringify({ scripts: { test: 'tap test/*.js' }, devDependencies: {} }),
    });
    const t = profile('typescript', ['packages/ini/**']).tools;
    expect(t['unit-test']).toMatchObject({ tool: 'tap', command: 'tap --reporter=tap', coverage: { parser: 'istanbul-text' } });
    // tap 18 and later print no report of complete coverage unless asked; tap 16 asked for one would only report.
    write({ 'packages/ini/node_modules/tap/package.json': '{ "name": "tap", "version": "16.3.10" }' });
    expect(profile('typescript', ['packages/ini/**']).tools['unit-test']).toMatchObject({ command: 'tap --reporter=tap' });
    write({ 'node_modules/tap/package.json': '{ "name": "tap", "version": "21.5.0" }' });
    rmSync(path.join(root, 'packages/ini/node_modules/tap'), { recursive: true });
    expect(profile('typescript', ['packages/ini/**']).tools['unit-test']).toMatchObject({
      command: 'tap --reporter=tap --coverage-report=text-summary',
      why: expect.stringContaining('(tap 21)'),
    });
    expect(t.coverage).toMatchObject({ tool: 'tap' });
    // tape is not tap: it runs by itself, with the files the test script gives it.
    expect(profile('typescript', ['b/**']).tools['unit-test']).toMatchObject({ tool: 'tape', command: 'tape test/*.js' });
    expect(profile('typescript', ['c/**']).tools['unit-test']).toMatchObject({
      tool: 'tap',
      why: 'the test script runs tap',
      missing: expect.stringContaining('npm install -D tap'),
    });
  });

  it('runs AVA by itself, not the test script that also lints and checks types (sindresorhus/camelcase: xo && ava && tsd)', () => {
    write({
      'a/package.json': JSON.stringify({ scripts: { test: 'xo && ava && tsd' }, devDependencies: { xo: '1', ava: '6', tsd: '0.33' } }),
      ...bin('a', 'xo', 'ava', 'tsd'),
      'b/package.json': JSON.stringify({ scripts: { test: 'c8 ava' }, devDependencies: { ava: '6', c8: '10' } }),
      ...bin('b', 'ava', 'c8'),
      'c/package.json': JSON.stringify({ ava: { files: ['test/**'] } }),
      'd/package.json': JSON.stringify({ devDependencies: { tsd: '0.33' } }),
    });
    const a = profile('typescript', ['a/**']).tools;
    expect(a['unit-test']).toMatchObject({ tool: 'ava', command: 'ava', why: 'ava in package.json' });
    expect(a.coverage).toMatchObject({ tool: 'none', notConfigured: 'add c8: npm install -D c8' });
    expect(a.implement).toMatchObject({
      tool: 'tsd',
      command: 'tsd',
      why: expect.stringContaining('tsd in package.json checks the type definitions'),
    });
    // XO checks style: the format stage says so rather than only asking for prettier.
    expect(a.format).toMatchObject({ tool: 'none', notConfigured: expect.stringMatching(/^XO checks the code's style in the lint stage/) });
    expect(profile('typescript', ['b/**']).tools['unit-test']).toMatchObject({
      tool: 'ava under c8',
      command: 'c8 --reporter=text-summary --temp-directory="$FACTORY_TMP/c8" ava',
    });
    expect(profile('typescript', ['c/**']).tools['unit-test']).toMatchObject({
      tool: 'ava',
      missing: 'ava is configured ("ava" in package.json) but not installed: npm install -D ava',
    });
    expect(profile('typescript', ['d/**']).tools.implement).toMatchObject({
      tool: 'tsd',
      missing: 'tsd is configured (tsd in package.json) but not installed: npm install -D tsd',
    });
  });

  it("follows a test script that runs another (ljharb/qs: `npm run tests-only`), and leaves npm's pretest and posttest hooks out of `npm test`", () => {
    write({
      'a/package.json': JSON.stringify({
        scripts: {
          pretest: 'npm run --silent lint',
          test: 'npm run tests-only',
          'tests-only': "nyc tape 'test/**/*.js'",
          posttest: 'npx npm@">=10.2" audit --production',
        },
        devDependencies: { tape: '5', nyc: '10' },
      }),
      ...bin('a', 'tape', 'nyc'),
      'b/package.json': JSON.stringify({ scripts: { pretest: 'eslint .', test: 'node test.js', posttest: 'npm audit' } }),
      'c/package.json': JSON.stringify({ scripts: { test: 'node test.js' } }),
      'd/package.json': JSON.stringify({
        scripts: { pretest: 'tsc -p tsconfig.test.json', test: 'node build/test.js', posttest: 'npm audit' },
      }),
    });
    expect(profile('typescript', ['a/**']).tools['unit-test']).toMatchObject({
      tool: 'tape under nyc',
      command: expect.stringMatching(/^nyc --reporter=text-summary .* tape 'test\/\*\*\/\*\.js'$/),
    });
    expect(profile('typescript', ['b/**']).tools['unit-test']).toMatchObject({
      command: 'npm test --ignore-scripts',
      why: "the test script is `node test.js`; npm's pretest and posttest hooks left out (--ignore-scripts)",
    });
    expect(profile('typescript', ['c/**']).tools['unit-test']?.command).toBe('npm test');
    // A pretest that builds still runs first.
    expect(profile('typescript', ['d/**']).tools['unit-test']?.command).toBe('npm run -s pretest && npm test --ignore-scripts');
  });

  it("runs npm's hooks of the script the test script runs (browserify/resolve: `pretests-only` asserts), and only those", () => {
    const check = (ok: boolean) => `require('assert').ok(${ok}, 'nested symlinks resolve')\n`;
    write({
      'a/package.json': JSON.stringify({
        scripts: {
          pretest: 'npm run lint',
          test: 'npm run --silent tests-only',
          'pretests-only': 'node check.js',
          'tests-only': 'tape test/*.js',
          posttest: 'npm run test:multirepo',
        },
        devDependencies: { tape: '5' },
      }),
      'a/check.js': check(true),
      'a/node_modules/.bin/tape': '#!/bin/sh\necho "# pass  1"\n',
    });
    const unit = profile('typescript', ['a/**']).tools['unit-test'];
    expect(unit).toMatchObject({
      command: 'npm run -s pretests-only && tape test/*.js',
      why: expect.stringContaining("with npm's pretests-only hook, as npm runs tests-only"),
    });
    const sh = () =>
      spawnSync('bash', ['-c', unit?.command ?? ''], {
        cwd: path.join(root, 'a'),
        encoding: 'utf8',
        env: { ...process.env, PATH: `${path.join(root, 'a/node_modules/.bin')}:${process.env.PATH}` },
      });
    execFileSync('chmod', ['+x', path.join(root, 'a/node_modules/.bin/tape')]);
    expect(sh().status).toBe(0);
    write({ 'a/check.js': check(false) });
    const broken = sh();
    expect(broken.status).not.toBe(0);
    expect(broken.stderr).toContain('nested symlinks resolve');
  });

  it("finds mocha's files in the scripts the test script runs, and builds first when its first step builds (epoberezkin/fast-deep-equal)", () => {
    write({
      'a/package.json': JSON.stringify({
        scripts: {
          eslint: 'eslint *.js spec/*.js',
          build: 'node build',
          'test-spec': 'mocha spec/*.spec.js -R spec',
          'test-cov': 'nyc npm run test-spec',
          'test-ts': 'tsc --target ES5 --noImplicitAny index.d.ts',
          test: 'npm run build && npm run eslint && npm run test-ts && npm run test-cov',
        },
        devDependencies: { mocha: '*', nyc: '*' },
      }),
      'a/build.js': "require('fs').writeFileSync(__dirname + '/index.js', 'module.exports = (a, b) => a === b\\n')\n",
      'a/spec/index.spec.js':
        "const assert = require('assert')\nconst equal = require('../index.js')\nit('compares', () => assert.ok(equal(1, 1)))\n",
      ...bin('a', 'mocha', 'nyc'),
    });
    const unit = profile('typescript', ['a/**']).tools['unit-test'];
    expect(unit?.command).toMatch(/^npm run -s build && nyc .* mocha spec\/\*\.spec\.js -R spec$/);
    expect(unit?.why).toContain("after the test script's first step, which builds (`node build`)");
    // A first step that does not build is not run: lint is a stage of its own.
    write({
      'b/package.json': JSON.stringify({
        scripts: { lint: 'eslint .', test: 'npm run lint && mocha test/a.js' },
        devDependencies: { mocha: '*' },
      }),
      ...bin('b', 'mocha'),
    });
    expect(profile('typescript', ['b/**']).tools['unit-test']?.command).toBe('mocha test/a.js');
  });

  it('lints with standard and runs tape by itself (feross/queue-microtask: `standard && tape test/*.js`)', () => {
    write({
      'a/package.json': JSON.stringify({
        scripts: { test: 'standard && tape test/*.js' },
        devDependencies: { standard: '*', tape: '^5.2.2' },
      }),
      ...bin('a', 'standard', 'tape'),
      'b/package.json': JSON.stringify({
        semistandard: { ignore: ['dist/'] },
        scripts: { test: 'tape test.js' },
        devDependencies: { tape: '5' },
      }),
      ...bin('b', 'tape', 'c8'),
      'c/package.json': JSON.stringify({ devDependencies: { standard: '17' } }),
      // mafintosh/end-of-stream: tape required by the test file the script runs with node.
      'd/package.json': JSON.stringify({ scripts: { test: 'node test.js' }, devDependencies: { tape: '^4.11.0' } }),
      ...bin('d', 'tape'),
    });
    expect(profile('typescript', ['d/**']).tools['unit-test']).toMatchObject({ tool: 'npm test', command: 'npm test' });
    const a = profile('typescript', ['a/**']).tools;
    expect(a['unit-test']).toMatchObject({
      tool: 'tape',
      command: 'tape test/*.js',
      why: 'the test script runs tape; the test script gives it `test/*.js`',
    });
    expect(a.lint).toMatchObject({
      tool: 'standard',
      command: 'standard',
      why: 'standard in a/package.json',
      findings: 'standard',
      warningsPass: true,
    });
    expect(a.format).toMatchObject({
      tool: 'none',
      notConfigured: expect.stringMatching(/^standard checks the code's style in the lint stage/),
    });
    const b = profile('typescript', ['b/**']).tools;
    expect(b['unit-test']).toMatchObject({
      tool: 'tape under c8',
      command: 'c8 --reporter=text-summary --temp-directory="$FACTORY_TMP/c8" tape test.js',
    });
    expect(b.lint).toMatchObject({
      tool: 'semistandard',
      missing: 'semistandard is configured (semistandard in b/package.json) but not installed: npm install -D semistandard',
    });
    expect(profile('typescript', ['c/**']).tools.lint).toMatchObject({
      tool: 'standard',
      missing: expect.stringContaining('npm install -D standard'),
    });
  });

  it('formats with oxfmt where it is configured (unjs/defu: .oxfmtrc.json beside .oxlintrc.json), and says how to install it', () => {
    write({
      'a/package.json': JSON.stringify({ devDependencies: { oxlint: '1', oxfmt: '0.43' } }),
      'a/.oxfmtrc.json': '{}',
      ...bin('a', 'oxlint'),
      ...bin('a', 'oxfmt'),
      'b/package.json': JSON.stringify({ devDependencies: { oxfmt: '0.43' } }),
      'c/package.json': '{}',
      'c/.prettierrc': '{}',
      'c/.oxfmtrc.jsonc': '{}',
      ...bin('c', 'prettier'),
      ...bin('c', 'oxfmt'),
    });
    expect(profile('typescript', ['a/**']).tools.format).toMatchObject({
      tool: 'oxfmt',
      command: 'oxfmt --list-different .',
      why: 'a/.oxfmtrc.json',
      findings: 'file-list',
    });
    expect(profile('typescript', ['b/**']).tools.format).toMatchObject({
      tool: 'oxfmt',
      missing: 'oxfmt is configured (b/package.json) but not installed: npm install -D oxfmt',
    });
    expect(profile('typescript', ['c/**']).tools.format).toMatchObject({ tool: 'prettier' });
  });

  it('refuses a package.json that cannot be parsed, naming the file', () => {
    write({ 'app/package.json': '{ "name": ' });
    expect(detect('typescript', ['app/**'])).toMatchObject({
      file: 'app/package.json',
      field: '(document)',
      message: expect.stringMatching(/^expected JSON, got a syntax error/),
    });
  });
});

describe('Python', () => {
  it('puts a src/ layout on PYTHONPATH and measures coverage of the package only', () => {
    write({ 'pyproject.toml': '[project]\nname = "calc"\n', 'src/calc/__init__.py': '', 'tests/test_calc.py': '' });
    const t = profile('python', ['**']).tools['unit-test'];
    // No pytest configuration: pytest where installed, else unittest (see command-stage.spec.ts).
    expect(t?.tool).toBe('pytest or unittest');
    expect(t?.command).toContain("R='-m unittest'");
    expect(t?.command).toContain("PYTHONPATH='src'");
    expect(t?.command).toContain("--source='src/calc'");
  });

  it('takes a conftest.py in tests/ for a pytest project (platformdirs: its fixtures live there, the plan said "no pytest configuration")', () => {
    write({ 'pyproject.toml': '[project]\nname = "p"\n', 'src/p/__init__.py': '', 'tests/conftest.py': 'import pytest\n' });
    expect(profile('python', ['**']).tools['unit-test']).toMatchObject({
      tool: 'pytest',
      why: expect.stringContaining('; tests/conftest.py;'),
    });
  });

  it("lets pytest-cov measure when the project's pytest options turn it on (python-semver: .pytest.ini; jquast/wcwidth: tox.ini)", () => {
    write({
      'a/pyproject.toml': '[project]\nname = "semver"\n',
      'a/.pytest.ini': '[pytest]\nnorecursedirs = .git build\naddopts =\n    --no-cov-on-fail\n    --cov=semver\n    --doctest-modules\n',
      'a/src/semver/__init__.py': '',
      'b/tox.ini': '[testenv]\ncommands = pytest --cov\n[pytest]\naddopts = --color=yes\n[coverage:run]\nbranch = True\nparallel = True\n',
      'b/wcwidth/__init__.py': '',
      'c/pyproject.toml': '[tool.pytest.ini_options]\naddopts = ["--cov=pkg", "-q"]\n',
      'c/pkg/__init__.py': '',
    });
    const a = profile('python', ['a/**']).tools;
    expect(a['unit-test']).toMatchObject({ tool: 'pytest', why: expect.stringContaining('a/.pytest.ini') });
    expect(a['unit-test']?.command).toContain('-m pytest -q -p no:cacheprovider --cov-report=term');
    expect(a['unit-test']?.command).toContain(
      "error: pytest-cov is not installed for $(command -v ${PYTHON:-python3}), which the project's pytest options use (addopts in [pytest] of a/.pytest.ini)",
    );
    expect(a['unit-test']?.command).not.toContain('coverage run');
    expect(a.coverage).toMatchObject({ tool: 'pytest-cov' });
    expect(profile('python', ['c/**']).tools['unit-test']?.command).toContain('--cov-report=term');
    // --cov in tox's own commands is not pytest's options; tox.ini's [coverage:run] is the project's coverage configuration.
    const b = profile('python', ['b/**']).tools['unit-test'];
    // Its configuration names no source: the package is measured, not every module the run imports.
    expect(b?.command).toContain(
      "-m coverage run --source='wcwidth' --omit='*/tests/*,*/test/*,*/test_*.py,*/conftest.py,setup.py' -m pytest",
    );
    expect(b?.command).toContain('-m coverage combine -q');
    expect(b?.why).toContain('[coverage:run] in b/tox.ini');
  });

  it("runs a unittest suite pytest would not run (test_suite / load_tests) with unittest, and keeps the project's coverage settings", () => {
    write({
      'pyproject.toml': '[tool.coverage.run]\nsource = ["pkg"]\n',
      'pkg/__init__.py': '',
      'pkg/tests/__init__.py': 'import unittest\ndef test_suite():\n    return unittest.TestSuite()\n',
    });
    const t = profile('python', ['**']).tools['unit-test'];
    expect(t?.tool).toBe('unittest');
    expect(t?.command).toContain("-m unittest discover -s '.' -t '.'");
    expect(t?.command).not.toContain('--source');
  });

  it("runs the tests with unittest from where the project's tox.ini or makefile discovers them (Python-Markdown: pytest cannot collect its suite)", () => {
    write({
      'setup.py': '',
      'tox.ini': '[testenv]\ncommands =\n    coverage run --source=pkg -m unittest discover tests\n',
      'pkg/__init__.py': 'def double(x):\n    return 2 * x\n',
      // A helper module the package ships for its tests, named like a test file: not a test of the project's.
      'pkg/test_tools.py':
        'import unittest\n\n\nclass TestCase(unittest.TestCase):\n    def test_base(self):\n        self.fail("only a base class")\n',
      'tests/__init__.py': '',
      'tests/test_pkg.py':
        'import unittest\nfrom pkg import double\n\n\nclass T(unittest.TestCase):\n    def test_double(self):\n        self.assertEqual(double(3), 6)\n',
    });
    const t = profile('python', ['**']).tools['unit-test'];
    expect(t?.tool).toBe('unittest');
    expect(t?.command).toContain("-m unittest discover -s 'tests' -t '.'");
    expect(t?.why).toContain('tox.ini runs the tests with unittest (from tests/)');
    const sh = () => runWithDebianPython(t?.command);
    const passing = sh();
    expect([passing.status, passing.stderr]).toEqual([0, expect.stringMatching(/^Ran 1 test in .*\n\nOK\n/m)]);
    write({
      'tests/test_pkg.py':
        'import unittest\nfrom pkg import double\n\n\nclass T(unittest.TestCase):\n    def test_double(self):\n        self.assertEqual(double(3), 7)\n',
    });
    expect(sh().status).not.toBe(0);
  });

  it('lints with ruff or flake8 when configured, else pyflakes; formats only with a configured formatter', () => {
    write({
      'a/pyproject.toml': '[tool.ruff]\nline-length = 100\n[tool.black]\n',
      'b/setup.cfg': '[flake8]\nmax-line-length = 100\n',
      'c/setup.py': '',
    });
    expect(profile('python', ['a/**']).tools).toMatchObject({
      lint: { tool: 'ruff' },
      format: { tool: 'black', findings: 'unified-diff' },
    });
    expect(profile('python', ['b/**']).tools.lint?.tool).toBe('flake8');
    expect(profile('python', ['c/**']).tools).toMatchObject({ lint: { tool: 'pyflakes' }, format: { tool: 'none' } });
  });

  it("says pyflakes, the default linter, is not configured where the stage's Python lacks it (exit 0), and runs it where it has it", () => {
    write({ 'setup.py': '', 'pkg/__init__.py': 'import os\n' });
    const command = profile('python', ['**']).tools.lint?.command ?? '';
    const without = spawnSync('bash', ['-c', command], { cwd: root, encoding: 'utf8', env: { ...process.env, PYTHON: 'false' } });
    expect(without.status).toBe(0);
    expect(without.stdout).toMatch(
      /^factory: not configured: pyflakes is not installed for .* and the project configures no linter: pip install pyflakes/m,
    );
    const python = ['python3', '/usr/bin/python3'].find((p) => spawnSync(p, ['-c', 'import pyflakes']).status === 0);
    if (!python) throw new Error('no python3 with pyflakes: run tools/scripts/install-toolchains.sh');
    const withIt = spawnSync('bash', ['-c', command], { cwd: root, encoding: 'utf8', env: { ...process.env, PYTHON: python } });
    expect(withIt.stdout).toContain("'os' imported but unused");
  });

  it("runs a project without pytest configuration as its CI does: pytest on tests/, the project's fail_under left to the coverage stage, pyflakes on the modules at the top too", () => {
    // jmespath: extra/ holds tests the project never runs (they import hypothesis); python-slugify:
    // tests in test.py at the top, fail_under = 97 in .coveragerc at 96.73 %.
    write({
      'setup.py': '',
      'pkg/__init__.py': 'def one():\n    return 1\n\n\ndef unused():\n    return 2\n',
      'tests/test_one.py': 'from pkg import one\n\n\ndef test_one():\n    assert one() == 1\n',
      'extra/test_never.py': 'import not_installed_anywhere\n',
      'test.py': 'import os\n',
      '.coveragerc': '[run]\nsource = pkg\n[report]\nfail_under = 99\n',
    });
    const tools = profile('python', ['**']).tools;
    expect(tools['unit-test']?.why).toContain('no pytest configuration: pytest on tests/ where installed');
    const python = '/usr/bin/python3';
    const tmp = mkdtempSync(path.join(tmpdir(), 'factory-py-'));
    try {
      const env = { ...process.env, PYTHON: python, FACTORY_TMP: tmp };
      const test = spawnSync('bash', ['-c', tools['unit-test']?.command ?? ''], { cwd: root, encoding: 'utf8', env });
      expect({ status: test.status, out: test.stdout + test.stderr }).toMatchObject({
        status: 0,
        out: expect.stringContaining('1 passed'),
      });
      expect(test.stdout).toMatch(/TOTAL\s+4\s+1\s+75\.00%/);
      const lint = spawnSync('bash', ['-c', tools.lint?.command ?? ''], { cwd: root, encoding: 'utf8', env });
      expect(lint.stdout).toContain("test.py:1:1: 'os' imported but unused");
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('lints with flake8 when pyproject.toml configures it in [tool.flake8] (cachetools: it ignores F401, which pyflakes would report)', () => {
    write({ 'pyproject.toml': '[project]\nname = "c"\n[tool.flake8]\nignore = ["F401"]\n', 'c/__init__.py': '' });
    const lint = profile('python', ['**']).tools.lint;
    expect(lint).toMatchObject({ tool: 'flake8', why: '[tool.flake8] in pyproject.toml (read by flake8 with flake8-pyproject)' });
    // Where flake8 is not installed (a venv without packages), the stage says so and how to install it.
    const venv = path.join(root, 'venv');
    execFileSync('python3', ['-m', 'venv', '--without-pip', venv]);
    const run = spawnSync('sh', ['-c', lint?.command ?? ''], {
      cwd: root,
      env: { ...process.env, PYTHON: path.join(venv, 'bin/python') },
      encoding: 'utf8',
    });
    expect(run.status).toBe(127);
    expect(run.stdout).toMatch(
      /^error: flake8 is not installed for \S+venv\/bin\/python, which the project configures: pip install flake8 flake8-pyproject, or set PYTHON/,
    );
  });

  it('checks for flake8-pyproject too where [tool.flake8] needs it: flake8 alone judges by its defaults (platformdirs: a 96-character line it allows)', () => {
    write({
      'pyproject.toml': '[project]\nname = "c"\n[tool.flake8]\nmax-line-length = 120\n',
      'c/__init__.py': '',
      'site/flake8/__init__.py': '',
    });
    // An importable flake8 (an empty package standing for the installed one) and no flake8p.
    const run = spawnSync('sh', ['-c', profile('python', ['**']).tools.lint?.command ?? ''], {
      cwd: root,
      env: { ...process.env, PYTHON: '/usr/bin/python3', PYTHONPATH: path.join(root, 'site') },
      encoding: 'utf8',
    });
    expect({ status: run.status, stdout: run.stdout }).toEqual({
      status: 127,
      stdout: expect.stringMatching(
        /^error: flake8-pyproject \(which reads \[tool\.flake8\] for flake8\) is not installed for \/usr\/bin\/python3, which the project configures: pip install flake8-pyproject/,
      ),
    });
  });

  it("runs the tests without coverage, saying what to install, when the coverage configuration's plugin is missing (platformdirs: covdefaults)", () => {
    write({
      'pyproject.toml': '[project]\nname = "p"\n[tool.coverage.run]\nplugins = ["covdefaults", "x; rm -rf /"]\n',
      'p/__init__.py': 'def one():\n    return 1\n',
      'tests/test_p.py':
        'import unittest\nfrom p import one\n\nclass T(unittest.TestCase):\n    def test_one(self):\n        self.assertEqual(one(), 1)\n',
    });
    const command = profile('python', ['**']).tools['unit-test']?.command ?? '';
    expect(command).toContain("-c 'import coverage, covdefaults'");
    expect(command).not.toContain('rm -rf');
    const run = spawnSync('sh', ['-c', command], {
      cwd: root,
      env: { ...process.env, PYTHON: '/usr/bin/python3', FACTORY_TMP: root },
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      'factory: coverage unavailable: coverage.py or the coverage plugin covdefaults that [tool.coverage] in pyproject.toml loads, is not installed for /usr/bin/python3 (pip install coverage covdefaults, or set PYTHON',
    );
    expect(`${run.stdout}${run.stderr}`).toMatch(/1 passed|Ran 1 test/);
  });

  it('formats as the pre-commit hooks do when no [tool.black] or [tool.ruff.format] says so (pallets/itsdangerous: ruff-format)', () => {
    const hooks = (id: string) => `repos:\n  - repo: https://example.invalid/x\n    rev: v1\n    hooks:\n      - id: ${id}\n`;
    write({ 'r/pyproject.toml': '[tool.ruff]\nsrc = ["src"]\n', 'r/.pre-commit-config.yaml': hooks('ruff-format') });
    expect(profile('python', ['r/**']).tools.format).toMatchObject({
      tool: 'ruff format',
      why: 'the ruff-format hook in r/.pre-commit-config.yaml',
    });
    write({ 'b/pyproject.toml': '[project]\nname = "b"\n', 'b/.pre-commit-config.yaml': hooks('black  # the formatter') });
    expect(profile('python', ['b/**']).tools.format).toMatchObject({ tool: 'black', why: 'the black hook in b/.pre-commit-config.yaml' });
    write({ 'n/pyproject.toml': '[project]\nname = "n"\n', 'n/.pre-commit-config.yaml': hooks('black-jupyter') });
    expect(profile('python', ['n/**']).tools.format).toMatchObject({ tool: 'none' });
  });

  it("formats as the project's CI, tox or makefile checks formatting (kjd/idna's CI runs `ruff format --check idna`), not as a mention of the tool", () => {
    const workflow = (run: string) => `jobs:\n  lint:\n    steps:\n      - run: ${run}\n`;
    write({ 'i/pyproject.toml': '[tool.ruff]\nline-length = 127\n', 'i/.github/workflows/ci.yml': workflow('ruff format --check idna') });
    expect(profile('python', ['i/**']).tools.format).toMatchObject({
      tool: 'ruff format',
      why: '`ruff format` in i/.github/workflows/ci.yml',
      findings: 'unified-diff',
    });
    write({ 'm/setup.py': '', 'm/Makefile': 'check:\n\tblack --check --diff .\n' });
    expect(profile('python', ['m/**']).tools.format).toMatchObject({ tool: 'black', why: '`black --check` in m/Makefile' });
    write({ 'd/setup.py': '', 'd/tox.ini': '[testenv:lint]\ndeps = black\ncommands = flake8\n' });
    expect(profile('python', ['d/**']).tools.format).toMatchObject({ tool: 'none' });
  });

  it("measures the packages when the project's coverage configuration names no source (python-hyper/hyperlink: Debian's site-packages measured, 50.33 % for 94 %)", () => {
    write({
      'h/.coveragerc': '[run]\nbranch = True\n\n[paths]\nsource = src\n',
      'h/src/hyperlink/__init__.py': '',
      'h/src/hyperlink/test/__init__.py': '',
      'h/pytest.ini': '[pytest]\n',
      's/pyproject.toml': '[tool.coverage.run]\nsource = ["s"]\nomit = ["s/_version.py"]\n',
      's/s/__init__.py': '',
      'o/setup.cfg': '[coverage:run]\nomit =\n    o/vendored/*\n',
      'o/o/__init__.py': '',
      // sqlparse names its source by package: source_pkgs = ["sqlparse", "tests"].
      'q/pyproject.toml': '[tool.coverage.run]\nsource_pkgs = ["q", "tests"]\nbranch = true\n',
      'q/q/__init__.py': '',
    });
    const h = profile('python', ['h/**']).tools['unit-test'];
    expect(h?.command).toContain(
      "-m coverage run --source='src/hyperlink' --omit='*/tests/*,*/test/*,*/test_*.py,*/conftest.py,setup.py' -m pytest",
    );
    expect(h?.why).toContain("coverage.py with the project's own configuration (h/.coveragerc), on src/hyperlink (it names no source)");
    // A configuration naming its source keeps it, and its omit: nothing is added.
    expect(profile('python', ['s/**']).tools['unit-test']?.command).toContain('-m coverage run $R');
    // One that omits files but names no source gets the packages, and keeps its own omit.
    const o = profile('python', ['o/**']).tools['unit-test']?.command;
    expect(o).toContain("-m coverage run --source='o' ");
    expect(o).not.toContain('--omit');
    expect(profile('python', ['q/**']).tools['unit-test']?.command).toContain('-m coverage run $R');
  });

  it('reads coverage plugins from .coveragerc as well', () => {
    write({ '.coveragerc': '[run]\nplugins =\n    covdefaults\n    some_org.cov_plugin\n[report]\nplugins = no\n', 'p/__init__.py': '' });
    const command = profile('python', ['**']).tools['unit-test']?.command ?? '';
    expect(command).toContain("-c 'import coverage, covdefaults, some_org.cov_plugin'");
    expect(command).toContain('pip install coverage covdefaults some-org');
  });

  it('says what to install when ruff or black is configured but missing (more-itertools configures ruff)', () => {
    write({
      'pyproject.toml': '[project]\nname = "m"\n[tool.ruff]\nline-length = 79\n[tool.ruff.format]\n',
      'm/__init__.py': '',
      'b/pyproject.toml': '[tool.black]\n',
    });
    const tools = profile('python', ['**']).tools;
    const venv = path.join(root, 'venv');
    execFileSync('python3', ['-m', 'venv', '--without-pip', venv]);
    // A PATH without ruff (this machine has none anywhere) and a Python without black.
    const sh = (command: string | undefined) =>
      spawnSync('sh', ['-c', command ?? ''], {
        cwd: root,
        env: { ...process.env, PATH: `${path.join(venv, 'bin')}:/usr/bin:/bin`, PYTHON: path.join(venv, 'bin/python') },
        encoding: 'utf8',
      });
    for (const slot of ['lint', 'format'] as const) {
      const run = sh(tools[slot]?.command);
      expect({ slot, status: run.status, out: run.stdout }).toEqual({
        slot,
        status: 127,
        out: expect.stringMatching(/^error: ruff is not installed for this project, which configures it: pip install ruff/),
      });
    }
    const black = sh(profile('python', ['b/**']).tools.format?.command);
    expect(black.status).toBe(127);
    expect(black.stdout).toMatch(
      /^error: black is not installed for \S+venv\/bin\/python, which the project configures: pip install black/,
    );
  });

  it("with modules at the top, compiles and lints them, not the task's workspace under .factory/ nor node_modules", () => {
    write({
      'setup.py': '',
      'mod.py': 'import os\n',
      'tests/test_mod.py': 'import mod\n',
      '.factory/workspaces/t-1/mod.py': 'import os\n',
      'node_modules/gyp/old.py': 'print "python 2"\n',
    });
    const tools = profile('python', ['**']).tools;
    const sh = (command: string | undefined) =>
      spawnSync('bash', ['-c', command ?? ''], { cwd: root, env: { ...process.env, PYTHON: '/usr/bin/python3' }, encoding: 'utf8' });
    const compiled = sh(tools.implement?.command);
    expect({ status: compiled.status, out: compiled.stdout + compiled.stderr }).toEqual({ status: 0, out: '' });
    const linted = sh(tools.lint?.command);
    expect(linted.stdout.trim().split('\n').sort()).toEqual([
      "./mod.py:1:1: 'os' imported but unused",
      "./tests/test_mod.py:1:1: 'mod' imported but unused",
    ]);
  });

  /** A stage's command run in the test project with Debian's Python (pytest, coverage.py) and a scratch folder. */
  const runWithDebianPython = (command: string | undefined) =>
    spawnSync('bash', ['-c', command ?? ''], {
      cwd: root,
      env: { ...process.env, PYTHON: '/usr/bin/python3', FACTORY_TMP: root },
      encoding: 'utf8',
    });

  it("runs the doctests the project's tox.ini runs with --doctest-modules, so a broken one fails (mahmoud/boltons)", () => {
    const doc = (answer: number) => `def double(x):\n    """\n    >>> double(2)\n    ${answer}\n    """\n    return 2 * x\n`;
    write({
      'pyproject.toml': '[tool.pytest.ini_options]\ndoctest_optionflags = "ELLIPSIS"\n',
      'tox.ini': '[testenv]\ncommands = pytest --doctest-modules {envsitepackagesdir}/pkg tests\n',
      'pkg/__init__.py': doc(4),
      'tests/test_pkg.py': 'from pkg import double\n\n\ndef test_double():\n    assert double(3) == 6\n',
    });
    const unit = profile('python', ['**']).tools['unit-test'];
    expect(unit?.why).toContain('doctests too (--doctest-modules pkg tests), as tox.ini runs them');
    const sh = () => runWithDebianPython(unit?.command);
    expect(sh().stdout).toMatch(/^2 passed/m);
    write({ 'pkg/__init__.py': doc(5) });
    const broken = sh();
    expect(broken.status).not.toBe(0);
    expect(broken.stdout).toMatch(/1 failed, 1 passed/);
    // Without the tox.ini command, plain pytest: the doctest is not collected.
    write({ 'tox.ini': '[testenv]\ncommands = pytest tests\n' });
    expect(profile('python', ['**']).tools['unit-test']?.command).not.toContain('--doctest-modules');
  });

  it("collects what the project's doctest line collects: no path of Factory's, its --doctest-glob and --ignore (astanin/python-tabulate's README)", () => {
    const readme = (answer: number) => `# pkg\n\n    >>> from pkg import double\n    >>> double(2)\n    ${answer}\n`;
    write({
      'pyproject.toml': '[tool.pytest.ini_options]\ndoctest_optionflags = "ELLIPSIS"\n',
      'tox.ini': '[testenv]\ncommands = pytest -v --doctest-modules --ignore benchmark --doctest-glob="README.md" {posargs}\n',
      'README.md': readme(4),
      'benchmark/bench.py': 'import not_installed_anywhere\n',
      'pkg/__init__.py': 'def double(x):\n    return 2 * x\n',
      'test/test_pkg.py': 'from pkg import double\n\n\ndef test_double():\n    assert double(3) == 6\n',
    });
    const unit = profile('python', ['**']).tools['unit-test'];
    expect(unit?.command).toContain("--doctest-modules '--ignore=benchmark' '--doctest-glob=README.md'");
    expect(unit?.why).toContain('doctests too (--doctest-modules --ignore=benchmark --doctest-glob=README.md), as tox.ini runs them');
    const sh = () => runWithDebianPython(unit?.command);
    expect(sh().stdout).toMatch(/^2 passed/m);
    write({ 'README.md': readme(5) });
    const broken = sh();
    expect(broken.status).not.toBe(0);
    expect(broken.stdout).toMatch(/1 failed, 1 passed/);
  });

  it("fails a test that warns where the project's tox.ini or CI runs pytest with -W error (Suor/funcy)", () => {
    write({
      'tox.ini': '[testenv]\ndeps = -r test_requirements.txt\ncommands = py.test -W error {posargs}\n',
      'pkg/__init__.py': 'import warnings\n\n\ndef old():\n    warnings.warn("old", DeprecationWarning)\n    return 1\n',
      'tests/test_pkg.py': 'from pkg import old\n\n\ndef test_old():\n    assert old() == 1\n',
    });
    const unit = profile('python', ['**']).tools['unit-test'];
    expect(unit?.why).toContain('warnings fail tests (-W error), as tox.ini runs pytest');
    const run = runWithDebianPython(unit?.command);
    expect(run.status).not.toBe(0);
    expect(run.stdout).toMatch(/1 failed/);
    // A workflow's filter of one category, with a pytest configuration.
    write({
      'tox.ini': '[testenv]\ncommands = pytest\n',
      'pyproject.toml': '[tool.pytest.ini_options]\ntestpaths = ["tests"]\n',
      '.github/workflows/test.yml': 'jobs:\n  test:\n    steps:\n      - run: python -m pytest -W error::DeprecationWarning tests\n',
    });
    const configured = profile('python', ['**']).tools['unit-test'];
    expect(configured?.command).toContain('-m pytest -q -p no:cacheprovider -W error::DeprecationWarning');
    expect(configured?.why).toContain('as .github/workflows/test.yml runs pytest');
    // Without it, a warning is only a warning.
    write({ '.github/workflows/test.yml': 'jobs: {}\n' });
    expect(profile('python', ['**']).tools['unit-test']?.command).not.toContain('-W ');
  });

  it("watches pytest's configuration files here and above, present or not: pytest finds them by searching upward (simplejson under a workspace's new pytest.ini)", () => {
    write({ 'libs/sj/setup.py': 'from setuptools import setup\nsetup(name="sj")\n', 'libs/sj/sj/__init__.py': '' });
    const { watched } = profile('python', ['libs/sj/**']);
    expect(watched).toEqual(
      expect.arrayContaining(['pytest.ini', 'tox.ini', 'conftest.py', 'libs/pyproject.toml', 'libs/sj/.pytest.ini', 'libs/sj/setup.cfg']),
    );
  });

  it('refuses a pyproject.toml that cannot be parsed, naming the file and where', () => {
    write({ 'pyproject.toml': '[project\nname = 1\n' });
    expect(detect('python', ['**'])).toMatchObject({
      file: 'pyproject.toml',
      message: expect.stringMatching(/^expected TOML, got a syntax error at line 1/),
    });
  });
});

describe('Rust and Go', () => {
  it('leaves out benches that need nightly from builds and lints, and runs cargo test as it is', () => {
    write({
      'Cargo.toml': '[package]\nname = "x"\n',
      '.gitignore': '/target\n',
      'src/lib.rs': '',
      'benches/b.rs': '#![feature(test)]\nextern crate test;\n',
    });
    const t = profile('rust', ['**']).tools;
    expect(t.implement?.command).toBe('cargo build --lib --bins --tests --examples');
    expect(t.lint?.command).toBe('cargo clippy --keep-going --message-format=short --lib --bins --tests --examples');
    expect(t['unit-test']?.command).toContain('cargo test --no-fail-fast || exit $?');
    expect(t.implement?.why).toContain('benches/b.rs needs nightly');
  });

  it("runs every test target of a crate, so a failure in the library's tests does not hide those of tests/ (strsim)", () => {
    write({
      'Cargo.toml': '[package]\nname = "rc"\nversion = "0.1.0"\nedition = "2021"\n',
      'src/lib.rs': 'pub fn one() -> i32 { 1 }\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn a() { assert_eq!(super::one(), 2); }\n}\n',
      'tests/it.rs': '#[test]\nfn t() { assert_eq!(rc::one(), 3); }\n',
    });
    const tmp = mkdtempSync(path.join(tmpdir(), 'factory-cargo-'));
    try {
      const run = spawnSync('bash', ['-c', profile('rust', ['**']).tools['unit-test']?.command ?? ''], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, FACTORY_TMP: tmp, CARGO_NET_OFFLINE: 'true' },
      });
      expect(run.status).not.toBe(0);
      expect(summarizeOutput(run.stdout + run.stderr, { exitCode: run.status }).tests).toMatchObject({
        failed: 2,
        failing: ['tests::a', 't'],
      });
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("builds, tests and lints a root crate's workspace members too (nvzqz/static-assertions: a type error in proc/ passed)", () => {
    write({
      'Cargo.toml': '[package]\nname = "root"\nversion = "0.1.0"\nedition = "2021"\n\n[workspace]\nmembers = ["proc"]\n',
      'src/lib.rs': 'pub fn one() -> i32 { 1 }\n',
      'proc/Cargo.toml': '[package]\nname = "proc"\nversion = "0.1.0"\nedition = "2021"\n',
      'proc/src/lib.rs': 'pub fn two() -> u8 { let x: u8 = "not a number"; x }\n',
      '.gitignore': 'target/\n',
    });
    const t = profile('rust', ['**']).tools;
    expect(t.implement).toMatchObject({
      command: 'cargo build --workspace --all-targets',
      why: expect.stringContaining("the workspace's members too"),
    });
    expect(t.lint?.command).toBe('cargo clippy --keep-going --message-format=short --workspace --all-targets');
    expect(t['unit-test']?.command).toContain('cargo test --workspace --no-fail-fast || exit $?');
    const build = spawnSync('bash', ['-c', t.implement?.command ?? ''], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, CARGO_NET_OFFLINE: 'true' },
    });
    expect(build.status).not.toBe(0);
    expect(build.stderr).toContain('proc/src/lib.rs');
    // A virtual manifest, or one naming default-members, is left as cargo takes it.
    write({ 'Cargo.toml': '[package]\nname = "root"\nversion = "0.1.0"\n\n[workspace]\nmembers = ["proc"]\ndefault-members = ["."]\n' });
    expect(profile('rust', ['**']).tools.implement?.command).toBe('cargo build --all-targets');
  }, 120_000);

  it("says which features the default set leaves off, whose code is not judged (smallvec's write, union)", () => {
    const manifest = '[package]\nname = "x"\n\n[features]\ndefault = ["std"]\nstd = []\nwrite = []\nunion = []\n_private = []\n';
    write({ 'Cargo.toml': manifest, 'src/lib.rs': '' });
    const t = profile('rust', ['**']).tools;
    for (const stage of ['implement', 'unit-test', 'lint'] as const) {
      expect(t[stage]?.why).toContain('default features only (not write, union: code behind them is not built, tested or linted');
    }
    write({ 'Cargo.toml': '[package]\nname = "x"\n\n[features]\ndefault = ["std"]\nstd = []\n' });
    expect(profile('rust', ['**']).tools['unit-test']?.why).not.toContain('features');
  });

  it('builds all targets of a crate without such benches; a crate without src/lib.rs but a [lib] path still has its library', () => {
    write({ 'Cargo.toml': '[package]\nname = "x"\n[lib]\npath = "lib.rs"\n', 'lib.rs': '', '.gitignore': 'target/\n' });
    expect(profile('rust', ['**']).tools.implement?.command).toBe('cargo build --all-targets');
  });

  it("builds away from the judged tree where target/ is not git-ignored: cargo's output would count as the change (pkg-config-rs without its .gitignore: 507 files)", () => {
    write({ 'crates/x/Cargo.toml': '[package]\nname = "x"\n', 'crates/x/src/lib.rs': '', '.gitignore': 'node_modules\n/target\n' });
    // `/target` at the root is the root's target folder, not the crate's.
    const t = profile('rust', ['crates/x/**']).tools;
    expect(t.implement).toMatchObject({
      command: 'CARGO_TARGET_DIR="$FACTORY_TMP/target" cargo build --all-targets',
      why: expect.stringContaining("target/ is not git-ignored here, so builds go to the stage's temporary folder"),
    });
    expect(t.lint?.command).toMatch(/^CARGO_TARGET_DIR="\$FACTORY_TMP\/target" cargo clippy /);
    for (const ignores of ['target\n', '**/target/\n']) {
      write({ '.gitignore': ignores });
      expect(profile('rust', ['crates/x/**']).tools.implement?.command).toBe('cargo build --all-targets');
    }
    write({ '.gitignore': '', 'crates/x/.gitignore': '/target\n' });
    expect(profile('rust', ['crates/x/**']).tools.implement?.command).toBe('cargo build --all-targets');
  });

  it("runs Go's integration tests only where a _test.go file has the integration build tag", () => {
    write({ 'go.mod': 'module m\n', 'a_test.go': 'package m\n' });
    expect(profile('go', ['**']).tools['integration-test']).toMatchObject({ tool: 'none', notConfigured: expect.any(String) });
    write({ 'sub/b_test.go': '//go:build integration\n\npackage sub\n' });
    expect(profile('go', ['**']).tools['integration-test']).toMatchObject({ why: 'sub/b_test.go is built with the integration tag' });
  });
});

describe('Go modules below the task directory', () => {
  const mod = (name: string) => `module ${name}\n\ngo 1.19\n`;
  const lib = (pkg: string, body: string) => `package ${pkg}\n\n${body}\n`;

  it('builds, tests and vets the modules a go.work here uses, in the same run (hashicorp/golang-lru: arc/ was never run)', () => {
    write({
      'go.mod': mod('example.com/top'),
      'go.work': 'go 1.19\n\nuse (\n\t.\n\t./arc // the ARC cache\n)\n',
      'top.go': lib('top', 'func One() int { return 1 }'),
      'top_test.go': lib('top', 'import "testing"\n\nfunc TestOne(t *testing.T) {\n\tif One() != 1 {\n\t\tt.Fatal("one")\n\t}\n}'),
      'arc/go.mod': mod('example.com/arc'),
      'arc/arc.go': lib('arc', 'func Two() int { return 3 }'),
      'arc/arc_test.go': lib('arc', 'import "testing"\n\nfunc TestTwo(t *testing.T) {\n\tif Two() != 2 {\n\t\tt.Fatal("two")\n\t}\n}'),
    });
    const t = profile('go', ['**']).tools;
    expect(t.implement?.command).toBe("go build ./... './arc/...'");
    expect(t.lint?.command).toBe("go vet ./... './arc/...'");
    expect(t['unit-test']?.why).toContain('and the modules go.work uses (arc)');
    const tmp = mkdtempSync(path.join(tmpdir(), 'factory-go-'));
    try {
      const run = spawnSync('bash', ['-c', t['unit-test']?.command ?? ''], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, FACTORY_TMP: tmp, GOFLAGS: '', GOPROXY: 'off', GOCACHE: path.join(tmp, 'cache') },
      });
      expect(run.stdout).toMatch(/^--- PASS: TestOne /m);
      expect(run.stdout).toMatch(/^--- FAIL: TestTwo /m);
      expect(run.status).not.toBe(0);
      // The profile's total also when a test failed (google/go-cmp: the lowest package's 51.5 % was recorded for 93 %).
      expect(run.stdout).toMatch(/^total:\s+\(statements\)\s+\d/m);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('says to run go mod init where a Go project has no go.mod, and runs go as usual once the change brings one (gobwas/glob)', () => {
    write({ 'glob.go': lib('glob', 'func One() int { return 1 }') });
    const t = profile('go', ['**']).tools;
    expect(t.implement?.why).toBe('no go.mod here or above (run go mod init)');
    const tmp = mkdtempSync(path.join(tmpdir(), 'factory-go-'));
    const build = () =>
      spawnSync('bash', ['-c', t.implement?.command ?? ''], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, FACTORY_TMP: tmp, GOFLAGS: '', GOPROXY: 'off', GO111MODULE: '', GOCACHE: path.join(tmp, 'cache') },
      });
    try {
      const without = build();
      expect(without.status).toBe(1);
      expect(without.stdout).toMatch(
        /^factory: no go\.mod in .* or above: the go command needs a module; run go mod init <module path> there/m,
      );
      write({ 'go.mod': mod('example.com/glob') });
      expect(build().status).toBe(0);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    // With a go.mod, the commands are the go command's alone.
    expect(profile('go', ['**']).tools.implement?.command).toBe('go build ./...');
  });

  it('names a module below that no go.work here uses, which ./... stops at', () => {
    write({
      'go.mod': mod('example.com/top'),
      'top.go': lib('top', ''),
      'libs/arc/go.mod': mod('example.com/arc'),
      'testdata/x/go.mod': '',
    });
    const t = profile('go', ['**']).tools;
    expect(t.implement?.command).toBe('go build ./...');
    for (const slot of ['implement', 'unit-test', 'lint'] as const)
      expect(t[slot]?.why).toContain('not libs/arc: a module of its own (its go.mod) that no go.work here uses');
    expect(t.implement?.why).not.toContain('testdata');
  });

  it('passes on only plain relative use paths (never ../, never shell words)', () => {
    write({ 'go.mod': mod('example.com/top'), 'go.work': 'go 1.19\nuse ./a\nuse ../up\nuse ./b;rm\nuse "./c"\n' });
    expect(profile('go', ['**']).tools.lint?.command).toBe("go vet ./... './a/...' './c/...'");
  });
});

describe('gofmt judges the files the go command formats', () => {
  it("leaves out the task's workspace under .factory/, testdata, vendor and node_modules (google/uuid's findings were counted twice)", () => {
    const messy = 'package x\nfunc  A()  {}\n';
    const files = [
      'a.go',
      'sub/b.go',
      '.factory/workspaces/t-1/a.go',
      'testdata/c.go',
      'vendor/v/d.go',
      'node_modules/m/e.go',
      '_old/f.go',
    ];
    write({ 'go.mod': 'module example.com/x\n', ...Object.fromEntries(files.map((f) => [f, messy])) });
    const run = spawnSync('bash', ['-c', profile('go', ['**']).tools.format?.command ?? ''], { cwd: root, encoding: 'utf8' });
    const diffed = [...run.stdout.matchAll(/^\+\+\+ (\S+)/gm)].map((m) => m[1]).sort();
    expect({ diffed, stderr: run.stderr }).toEqual({ diffed: ['./a.go', './sub/b.go'], stderr: '' });
  });
});

describe("gofmt's simplifications (-s), where the project asks for them", () => {
  /** The format stage planned for a Go module holding only `files` (each call starts from an empty directory). */
  const formatOf = (files: Record<string, string>) => {
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root);
    write({ 'go.mod': 'module example.com/x\n', ...files });
    return profile('go', ['**']).tools.format;
  };

  it('runs gofmt -s when golangci-lint enables gofmt (v1 linter, v2 formatter, enable-all, TOML, JSON), naming the file', () => {
    const v2 = 'version: "2"\nlinters:\n  default: none\nformatters:\n  enable:\n    - gofmt # the one\n    - goimports\n';
    expect(formatOf({ '.golangci.yaml': v2 })).toMatchObject({
      tool: 'gofmt -s',
      command: expect.stringMatching(/gofmt -s -d$/),
      why: expect.stringContaining('with -s (simplify), as .golangci.yaml asks'),
    });
    expect(formatOf({ '.golangci.yml': 'linters:\n  enable: [govet, gofmt]\n' })?.tool).toBe('gofmt -s');
    expect(formatOf({ '.golangci.yml': 'linters:\n  enable-all: true\n  disable:\n    - lll\n' })?.tool).toBe('gofmt -s');
    expect(formatOf({ '.golangci.toml': '[linters]\nenable = ["gofmt"]\n' })?.tool).toBe('gofmt -s');
    expect(formatOf({ '.golangci.json': '{"formatters": {"enable": ["gofmt"]}}' })?.tool).toBe('gofmt -s');
  });

  it('runs gofmt -s when a Makefile runs it', () => {
    expect(formatOf({ Makefile: 'fmt:\n\tgofmt -l -s -w .\n' })?.tool).toBe('gofmt -s');
  });

  it("runs gofmt -s when a check script runs it (spf13/pflag's verify/gofmt.sh)", () => {
    expect(formatOf({ 'verify/gofmt.sh': '#!/bin/bash\nfind_files | xargs gofmt -s -l\n' })).toMatchObject({
      tool: 'gofmt -s',
      why: expect.stringContaining('as verify/gofmt.sh asks'),
    });
  });

  it('runs plain gofmt when nothing asks for -s, gofmt is disabled, or simplify is off', () => {
    expect(formatOf({})).toMatchObject({ tool: 'gofmt', command: expect.stringMatching(/gofmt -d$/) });
    expect(formatOf({ Makefile: 'fmt:\n\tgofmt -l -w .\n' })?.tool).toBe('gofmt');
    expect(formatOf({ '.golangci.yml': 'linters:\n  enable-all: true\n  disable:\n    - gofmt\n' })?.tool).toBe('gofmt');
    expect(formatOf({ '.golangci.yml': 'linters:\n  disable: [gofmt]\n  enable: [govet]\n' })?.tool).toBe('gofmt');
    expect(formatOf({ '.golangci.yml': 'linters:\n  enable: [gofmt]\nlinters-settings:\n  gofmt:\n    simplify: false\n' })?.tool).toBe(
      'gofmt',
    );
    expect(formatOf({ '.golangci.yml': '# gofmt is run by the editor\nlinters:\n  enable: [govet]\n' })?.tool).toBe('gofmt');
  });

  it('finds what only -s changes, with the real gofmt', () => {
    const format = formatOf({
      Makefile: 'fmt:\n\tgofmt -s -l .\n',
      'a.go': 'package x\n\nfunc F(xs []int) {\n\tfor i, _ := range xs {\n\t\t_ = i\n\t}\n}\n',
    });
    const run = spawnSync('bash', ['-c', format?.command ?? ''], { cwd: root, encoding: 'utf8' });
    expect(run.stdout).toContain('-\tfor i, _ := range xs {\n+\tfor i := range xs {');
  });
});

describe('describePlan', () => {
  it('says, per stage, the tool, why, and what is missing', () => {
    write({ 'go.mod': 'module m\n' });
    const lines = describePlan(profile('go', ['**']));
    expect(lines[0]).toBe('runs in . (go.mod covers the allowed files)');
    expect(lines).toContain("lint: go vet (the go command's own checks) — go vet ./...");
  });

  it('shows a command of several lines by the part that runs the tool', () => {
    write({ 'Cargo.toml': '[package]\nname = "x"\nversion = "0.1.0"\n', 'src/lib.rs': '' });
    const rust = describePlan(profile('rust', ['**'])).find((l) => l.startsWith('unit-test:'));
    expect(rust).toMatch(/ — RUSTFLAGS="-C instrument-coverage" .*CARGO_TARGET_DIR="\$T\/target" cargo test --no-fail-fast …$/);
    expect(
      shownCommand(
        'pytest',
        'if ! python3 -c "import pytest"; then exit 127; fi\nif x; then a\nelse echo no coverage; python3 -m pytest -q; fi',
      ),
    ).toBe('python3 -m pytest -q …');
    expect(shownCommand('mocha', 'set -e\nnode build.js')).toBe('node build.js …');
    expect(shownCommand('go vet', 'go vet ./...')).toBe('go vet ./...');
    // A line that starts with the tool wins over the tool run again further on (Biome's format stage).
    expect(
      shownCommand(
        'biome',
        'biome format . >"$T/out" 2>&1; s=$?\nsed x "$T/out" | while read -r f; do biome format --stdin-file-path="$f"; done',
      ),
    ).toBe('biome format . >"$T/out" 2>&1 …');
    expect(shownCommand('tsc', 'tsc -p . --outDir x || { echo no; exit 2; }\nfind . | { echo "what tsc makes"; }')).toBe(
      'tsc -p . --outDir x …',
    );
  });
});

describe('TypeScript whose compiled .js is kept beside its sources', () => {
  const project = (tsconfig: string, extra: Record<string, string> = {}) =>
    write({
      'app/package.json': JSON.stringify({ scripts: { build: 'tsc', test: 'mocha' } }),
      'app/tsconfig.json': tsconfig,
      'app/src/queue.ts': 'export const n = 1;\n',
      'app/src/queue.js': 'exports.n = 1;\n',
      ...bin('app', 'tsc'),
      ...extra,
    });

  it('compiles into the scratch directory and compares, reading a tsconfig with comments and trailing commas', () => {
    project('{\n  // in place\n  "compilerOptions": { "target": "es5", /* no outDir */ "paths": { "@/*": ["src/*"] }, },\n}\n');
    const implement = profile('typescript', ['app/**']).tools.implement;
    expect(implement).toMatchObject({ tool: 'tsc', findings: 'gcc', why: expect.stringContaining('compiled .js is kept beside its .ts') });
    expect(implement?.command).toContain('tsc -p . --outDir "$FACTORY_TMP/emit" --rootDir .');
  });

  it.each([
    ['an outDir', '{ "compilerOptions": { "outDir": "dist" } }', {}],
    ['noEmit', '{ "compilerOptions": { "noEmit": true } }', {}],
    ['allowJs (the .js may be a source)', '{ "compilerOptions": { "allowJs": true } }', {}],
    ['extends (its options are elsewhere)', '{ "extends": "../tsconfig.base.json" }', {}],
    ['no .js beside a .ts', '{}', { 'app/src/queue.js': '' }],
  ])('type-checks only with %s', (_what, tsconfig, extra) => {
    project(tsconfig);
    if ('app/src/queue.js' in extra) rmSync(path.join(root, 'app/src/queue.js'));
    expect(profile('typescript', ['app/**']).tools.implement?.command).toBe('tsc --noEmit -p .');
  });
});
