import { join, parent, type ProjectFiles } from './fs';
import type { DetectionProblem, PlannedTool, ToolSlot } from './types';

type Tools = Partial<Record<ToolSlot, PlannedTool>>;
type PackageJson = {
  xo?: unknown;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  jest?: unknown;
  eslintConfig?: unknown;
  prettier?: unknown;
  ava?: unknown;
  standard?: unknown;
  semistandard?: unknown;
};

const NPM_DEFAULT_TEST = /no test specified/;
const CONFIG = (stem: string) => ['js', 'mjs', 'cjs', 'ts', 'mts', 'cts'].map((e) => `${stem}.${e}`);
const ESLINT_FLAT = CONFIG('eslint.config');
/** ESLint configurations that check the code's style as well (standard's rules). */
const STYLE_CONFIGS = /\b(?:neostandard|eslint-config-standard|eslint-config-semistandard)\b/;
/** A legacy configuration extending them by their short name: `extends: standard` (jshttp/statuses), `"extends": ["standard"]`. */
const EXTENDS_STANDARD = /\bextends["']?\s*:\s*(?:\[\s*|\n\s*-\s*)?["']?((?:semi)?standard)["']?\s*(?:[,\]\n}]|$)/;

/** The style-checking configuration an ESLint configuration uses (see STYLE_CONFIGS), by its package's name. */
function styleConfig(text: string): string | undefined {
  const named = STYLE_CONFIGS.exec(text)?.[0];
  if (named) return named;
  const short = EXTENDS_STANDARD.exec(text)?.[1];
  return short ? `eslint-config-${short}` : undefined;
}
const ESLINT_LEGACY = ['.eslintrc', '.eslintrc.js', '.eslintrc.cjs', '.eslintrc.json', '.eslintrc.yaml', '.eslintrc.yml'];
const PRETTIER = [
  '.prettierrc',
  '.prettierrc.json',
  '.prettierrc.json5',
  '.prettierrc.yaml',
  '.prettierrc.yml',
  '.prettierrc.toml',
  ...CONFIG('.prettierrc'),
  ...CONFIG('prettier.config'),
];
const BIOME = ['biome.json', 'biome.jsonc'];
const OXLINT = ['.oxlintrc.json', 'oxlintrc.json'];
const OXFMT = ['.oxfmtrc.json', '.oxfmtrc.jsonc'];
const XO = CONFIG('xo.config');
/** The linters of JavaScript Standard Style that print standard-engine's report (see findings/standard.ts). */
const STANDARD = ['standard', 'semistandard'] as const;

/** A tool in node_modules/.bin of this directory or one above: a stage's command finds it by name there (its PATH has them, as npm scripts do). */
function installed(files: ProjectFiles, dir: string, bin: string): boolean {
  for (let d = dir; ; d = parent(d)) {
    if (files.hasBin(join(d, `node_modules/.bin/${bin}`))) return true;
    if (d === '.') return false;
  }
}

/** A package is resolvable from `dir` (installed in node_modules here or above). */
function resolvable(files: ProjectFiles, dir: string, name: string): boolean {
  for (let d = dir; ; d = parent(d)) {
    if (files.hasBin(join(d, `node_modules/${name}/package.json`))) return true;
    if (d === '.') return false;
  }
}

/** The major version of a package installed here or above (its package.json's `version`), or undefined. */
function installedMajor(files: ProjectFiles, dir: string, name: string): number | undefined {
  for (let d = dir; ; d = parent(d)) {
    const text = files.text(join(d, `node_modules/${name}/package.json`));
    if (text !== undefined) {
      const major = /"version"\s*:\s*"(\d+)\./.exec(text);
      return major ? Number(major[1]) : undefined;
    }
    if (d === '.') return undefined;
  }
}

/** A project's own tool by name, as its package.json scripts name it (see process/local-bins.ts). */
const tool = (name: string, args = '') => `${name}${args ? ` ${args}` : ''}`;
const missingAdvice = (pkg: string) => `npm install -D ${pkg}`;

/**
 * Test runners that find test files themselves (vitest, jest) also find the copies in the other
 * tasks' workspaces (`.factory/workspaces/<slug>`: git ignores them, these runners do not), and
 * would run and count them with the project's tests. vitest takes an exclusion added to the
 * project's own; jest has none that keeps the project's (`--testPathIgnorePatterns` replaces
 * them), so it gets a test path pattern that the stage runner sets for the judged code
 * (`FACTORY_TESTS_PATTERN`, see command-stage.ts; unset, the empty pattern selects every test).
 */
/**
 * Biome reads no .gitignore unless its configuration turns git on, so `biome lint .` walked the
 * task's own workspace under `.factory/workspaces/` (every finding twice, the other tasks' code
 * judged): these options turn it on for the run, and `factory:init` puts the workspaces in .gitignore.
 */
const BIOME_GIT_IGNORES = '--vcs-enabled=true --vcs-client-kind=git --vcs-use-ignore-file=true';
/**
 * For a formatter that names the files it would reformat, not the lines: each file `list` prints
 * (one a line) is formatted again from stdin by `formatStdin` (the project's configuration for
 * that path, `$f`) and compared with it by `diff -U0`, a diff of the lines to reformat.
 */
const diffEachFile = (list: string, formatStdin: string) =>
  `${list} | while IFS= read -r f; do [ -f "$f" ] && ${formatStdin} <"$f" | diff -U0 --label "a/$f" --label "b/$f" "$f" -; done`;

/**
 * Biome's format diagnostics name a file, not lines. So each file it would reformat is formatted
 * again on its own (`--stdin-file-path`: the project's configuration for that path) and compared
 * with `diff -U0`: the lines to reformat, judged like black's and gofmt's diffs. Biome's exit
 * status is the stage's.
 */
const BIOME_FORMAT = [
  `biome format --reporter=github ${BIOME_GIT_IGNORES} . >"$FACTORY_TMP/biome-format.out" 2>&1; s=$?`,
  diffEachFile(
    `sed -n 's/^::[a-z]* title=format,file=\\([^,]*\\),.*/\\1/p' "$FACTORY_TMP/biome-format.out"`,
    'biome format --stdin-file-path="$f"',
  ),
  `[ $s -eq 0 ] || grep -v '^::[a-z]* title=format,' "$FACTORY_TMP/biome-format.out"`,
  'exit $s',
].join('\n');
/**
 * Prettier names files, not lines: each file it would reformat is formatted again from stdin
 * (`--stdin-filepath`: the project's configuration and ignore files for that path) and compared
 * with `diff -U0`, as for Biome. Its errors (a file it cannot parse) are shown as it printed them.
 */
const prettierFormat = (paths = '.', options = '') => {
  const prettier = `prettier ${options ? `${options} ` : ''}`;
  return [
    `${prettier}--list-different ${paths} >"$FACTORY_TMP/prettier.out" 2>"$FACTORY_TMP/prettier.err"; s=$?`,
    `[ $s -eq 0 ] || ${diffEachFile('cat "$FACTORY_TMP/prettier.out"', `${prettier}--stdin-filepath "$f"`)}`,
    `[ $s -le 1 ] || cat "$FACTORY_TMP/prettier.err"`,
    'exit $s',
  ].join('\n');
};
/** Prettier's options that take no value and leave the files checked as they are. */
const PRETTIER_CHECK_FLAGS = new Set([
  '-c',
  '--check',
  '-l',
  '--list-different',
  '-u',
  '--ignore-unknown',
  '--cache',
  '--no-error-on-unmatched-pattern',
]);
/** What a format script does that a judged run does not: write the files. */
const PRETTIER_WRITE_FLAGS = new Set(['-w', '--write']);
/** Prettier's style options without a value (`--single-quote`), kept: they are the project's style. */
const PRETTIER_STYLE_FLAGS = new Set([
  '--single-quote',
  '--jsx-single-quote',
  '--use-tabs',
  '--no-semi',
  '--no-bracket-spacing',
  '--bracket-same-line',
  '--single-attribute-per-line',
  '--vue-indent-script-and-style',
  '--experimental-ternaries',
  '--no-config',
  '--no-editorconfig',
]);
/** …and with one (`--print-width 100`). */
const PRETTIER_STYLE_VALUED = new Set([
  '--print-width',
  '--tab-width',
  '--trailing-comma',
  '--quote-props',
  '--arrow-parens',
  '--prose-wrap',
  '--end-of-line',
  '--html-whitespace-sensitivity',
  '--embedded-language-formatting',
  '--object-wrap',
  '--config',
  '--ignore-path',
  '--plugin',
]);

/**
 * How the project's own scripts run Prettier: the files a check script checks (`prettier -c src
 * test`: unjs/ufo, whose CHANGELOG.md, written by its release tool, Prettier would reformat), else
 * those a format script writes, with the style options either gives (Rich-Harris/magic-string has
 * no Prettier configuration, only `prettier --single-quote --print-width 100 --use-tabs --write .`).
 * Undefined when no script runs Prettier, or its command has an option this does not know (then
 * every file is checked with the configuration alone, as before).
 */
function prettierScript(pkg: PackageJson): { script: string; paths: string; options: string; writes: boolean } | undefined {
  const runs = Object.entries(pkg.scripts ?? {})
    .map(([name, script]) => ({ name, words: scriptWords(script, 'prettier') }))
    .filter(({ words }) => words.length > 0);
  const checks = (words: string[]) => words.some((w) => w === '-c' || w === '--check' || w === '-l' || w === '--list-different');
  const chosen = runs.find(({ words }) => checks(words)) ?? runs.find(({ words }) => words.some((w) => PRETTIER_WRITE_FLAGS.has(w)));
  if (!chosen) return undefined;
  const options: string[] = [];
  const paths: string[] = [];
  const { words } = chosen;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const flag = w.split('=')[0];
    if (!w.startsWith('-')) paths.push(w);
    else if (PRETTIER_STYLE_VALUED.has(flag)) options.push(w, ...(w.includes('=') ? [] : [words[++i] ?? '']));
    else if (PRETTIER_STYLE_FLAGS.has(w)) options.push(w);
    else if (!PRETTIER_CHECK_FLAGS.has(w) && !PRETTIER_WRITE_FLAGS.has(w)) return undefined;
  }
  if (!paths.length || ![...paths, ...options].every((w) => PLAIN_ARG.test(w))) return undefined;
  return { script: chosen.name, paths: paths.join(' '), options: options.join(' '), writes: !checks(words) };
}
const VITEST_NOT_FACTORY = `--exclude '**/.factory/**'`;
/**
 * A judged run writes no snapshot: Vitest in CI neither writes a missing snapshot (which then
 * fails) nor passes obsolete ones, as Jest's `--ci` (fb55/htmlparser2: a new `toMatchSnapshot()`
 * passed by writing its .snap into the judged code, where CI fails it).
 */
const VITEST_CI = 'CI=true';
const JEST_CI = '--ci';
const JEST_NOT_FACTORY = '"$FACTORY_TESTS_PATTERN"';
/** ESLint's flat configuration lints dot folders, the workspaces' copies among them; an ignore pattern is added to the project's. */
const ESLINT_NOT_FACTORY = `--ignore-pattern '.factory/'`;
/** ESLint options of a lint script that choose what is linted and by which rules: kept, with their values. */
const ESLINT_KEPT_VALUED = new Set([
  '--ext',
  '--plugin',
  '--rulesdir',
  '--parser',
  '--parser-options',
  '--env',
  '--global',
  '-c',
  '--config',
]);
const ESLINT_KEPT_VALUED_MORE = new Set(['--resolve-plugins-relative-to', '--ignore-path', '--ignore-pattern']);
const ESLINT_KEPT = new Set([
  '--no-eslintrc',
  '--report-unused-disable-directives',
  '--no-error-on-unmatched-pattern',
  '--no-inline-config',
]);
/**
 * Left out: a judged run changes nothing (`--fix`), reports in the form Factory reads (`--format`)
 * and weighs warnings as the project's scripts do (`--max-warnings`, `--quiet`: see `warningsFail`).
 */
const ESLINT_DROPPED_VALUED = new Set(['--max-warnings', '--format', '-f', '--cache-location', '--cache-strategy', '--output-file', '-o']);
const ESLINT_DROPPED = new Set(['--fix', '--quiet', '--cache', '--color', '--no-color']);

/**
 * What the project's own lint script gives ESLint (statuses: `eslint --plugin markdown --ext js,md
 * .`, which lints the README's code blocks too): its paths and the options that choose what is
 * linted, as one argument string, with the script's name; undefined when no script runs ESLint, or
 * one of its options is not known here (then `.` is linted, as before).
 */
function eslintScriptArgs(pkg: PackageJson): { script: string; args: string } | undefined {
  const names = Object.keys(pkg.scripts ?? {}).sort((a, b) => Number(b === 'lint') - Number(a === 'lint'));
  for (const name of names) {
    // As it runs: npm/node-semver's lint is `npm run eslint`, whose script names the files.
    const script = followScript(pkg, name) ?? '';
    if (!/(?:^|[\s&|;(/])eslint(?:\s|$)/.test(script)) continue;
    const words = scriptWords(script, 'eslint');
    const kept: string[] = [];
    const paths: string[] = [];
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      if (!w.startsWith('-')) {
        paths.push(w);
        continue;
      }
      const flag = w.split('=')[0];
      const valued = ESLINT_KEPT_VALUED.has(flag) || ESLINT_KEPT_VALUED_MORE.has(flag);
      if (valued || ESLINT_DROPPED_VALUED.has(flag)) {
        const value = w.includes('=') ? [] : [words[++i] ?? ''];
        if (valued) kept.push(w, ...value);
      } else if (ESLINT_KEPT.has(flag)) kept.push(w);
      else if (!ESLINT_DROPPED.has(flag)) return undefined;
    }
    const args = [...kept, ...(paths.length ? paths : ['.'])];
    if (!args.every((a) => PLAIN_ARG.test(a))) return undefined;
    return { script: name, args: args.join(' ') };
  }
  return undefined;
}

/** Running a script of package.json (`npm run tests-only`, `npm run -s test:unit`, `pnpm test:node`, `yarn run x`), its name captured. */
const RUN_SCRIPT = String.raw`(?:npm\s+run(?:-script)?|pnpm(?:\s+run)?|yarn(?:\s+run)?)(?:\s+(?:-s|--silent))?\s+([\w:.@/-]+)`;
/** A script that only runs another. */
const RUNS_SCRIPT = new RegExp(String.raw`^\s*${RUN_SCRIPT}\s*$`);
/** A script that runs another anywhere in it. */
const RUNS_SCRIPT_IN = new RegExp(RUN_SCRIPT, 'g');
/** A script whose first step runs another (`npm run build && …`). */
const RUNS_SCRIPT_FIRST = new RegExp(String.raw`^\s*${RUN_SCRIPT}\s*&&`);

/** A stage command that runs the test script through npm (`npm test`, `npm test --ignore-scripts`), its hooks and steps with it. */
const runsNpmTest = (command: string) => /(?:^|\s)npm test(?:\s|$)/.test(command);

/**
 * The test script as it runs: followed through scripts that only run another (ljharb/qs's `test`
 * is `npm run tests-only`, which is `nyc tape 'test/**\/*.js'`), a few steps at most.
 */
function testScript(pkg: PackageJson): string | undefined {
  return followScript(pkg, 'test');
}

/**
 * A script's text with every script it runs written in, a few levels deep: where its runner's
 * words are (epoberezkin/fast-deep-equal's `test` is `npm run build && … && npm run test-cov`,
 * `test-cov` is `nyc npm run test-spec`, and `test-spec` is `mocha spec/*.spec.js -R spec`).
 * Only read for words, never run.
 */
function expandedScript(pkg: PackageJson, name: string, depth = 0): string {
  const script = pkg.scripts?.[name] ?? '';
  if (depth >= 3) return script;
  return script.replace(RUNS_SCRIPT_IN, (whole, next: string) =>
    next !== name && pkg.scripts?.[next] !== undefined ? expandedScript(pkg, next, depth + 1) : whole,
  );
}

/** The script `name` as it runs, followed through scripts that only run another, a few steps at most. */
function followScript(pkg: PackageJson, name: string): string | undefined {
  const chain = scriptChain(pkg, name);
  return pkg.scripts?.[chain[chain.length - 1]];
}

/** The names of the scripts `name` runs through scripts that only run another (`test`, `tests-only`). */
function scriptChain(pkg: PackageJson, name: string): string[] {
  const chain = [name];
  for (let i = 0; i < 4; i++) {
    const script = pkg.scripts?.[chain[chain.length - 1]];
    const next = script === undefined ? undefined : RUNS_SCRIPT.exec(script)?.[1];
    if (next === undefined || chain.includes(next) || pkg.scripts?.[next] === undefined) break;
    chain.push(next);
  }
  return chain;
}

/**
 * The test run with npm's hooks of the scripts the test script runs (browserify/resolve: `test`
 * runs `tests-only`, whose `pretests-only` runs assertions of its own; a broken one passed), as
 * npm runs them. The test script's own hooks are `npmTest`'s and `buildingFirst`'s.
 */
function withFollowedHooks(
  pkg: PackageJson,
  plan: { test: PlannedTool; coverage: PlannedTool },
): { test: PlannedTool; coverage: PlannedTool } {
  const { test } = plan;
  if (!test.command || runsNpmTest(test.command)) return plan;
  const followed = scriptChain(pkg, 'test').slice(1);
  const pre = followed.filter((n) => pkg.scripts?.[`pre${n}`] !== undefined).map((n) => `pre${n}`);
  const post = followed.filter((n) => pkg.scripts?.[`post${n}`] !== undefined).map((n) => `post${n}`);
  if ((!pre.length && !post.length) || ![...pre, ...post].every((n) => PLAIN_ARG.test(n))) return plan;
  const run = (n: string) => `npm run -s ${n}`;
  // A command of several (`;`, `||`, lines) stays one between the hooks.
  const body = /;|\|\||\n/.test(test.command) ? `{ ${test.command}\n}` : test.command;
  return {
    ...plan,
    test: {
      ...test,
      command: [...pre.map(run), body, ...post.map(run)].join(' && '),
      why: `${test.why}; with npm's ${[...pre, ...post].join(' and ')} hook${pre.length + post.length > 1 ? 's' : ''}, as npm runs ${followed.join(', ')}`,
    },
  };
}

/**
 * `npm test` as a stage runs it: without npm's pretest and posttest hooks when the project has one
 * that the run does not need (qs: a pretest that lints, which the lint stage judges on the change
 * alone, and a posttest running `npm audit`, which failed unit-test with 1,045 tests passed). A
 * pretest that builds runs first (see `buildingFirst`).
 */
function npmTest(pkg: PackageJson): { command: string; why: string } {
  const { pretest, posttest } = pkg.scripts ?? {};
  const hooks = [...(pretest !== undefined && !BUILDS.test(pretest) ? ['pretest'] : []), ...(posttest !== undefined ? ['posttest'] : [])];
  if (!hooks.length) return { command: 'npm test', why: '' };
  return {
    command: 'npm test --ignore-scripts',
    why: `; npm's ${hooks.join(' and ')} hook${hooks.length > 1 ? 's' : ''} left out (--ignore-scripts)`,
  };
}

function testRunner(pkg: PackageJson, files: ProjectFiles, dir: string): { tool: string; why: string } | undefined {
  const deps = { ...pkg.dependencies, ...pkg.devDependencies };
  const test = testScript(pkg);
  const script = test && !NPM_DEFAULT_TEST.test(test) ? test : undefined;
  const cfg = (stem: string) => files.first(dir, CONFIG(stem));
  const vitestCfg = cfg('vitest.config');
  if (deps.vitest || vitestCfg || /\bvitest\b/.test(script ?? ''))
    return { tool: 'vitest', why: vitestCfg ? `${vitestCfg}` : deps.vitest ? 'vitest in package.json' : 'the test script runs vitest' };
  const jestCfg = cfg('jest.config') ?? files.first(dir, ['jest.config.json']);
  if (deps.jest || jestCfg || pkg.jest || /\bjest\b/.test(script ?? ''))
    return { tool: 'jest', why: jestCfg ?? (deps.jest ? 'jest in package.json' : 'the test script runs jest') };
  const mochaCfg = files.first(dir, ['.mocharc.js', '.mocharc.cjs', '.mocharc.json', '.mocharc.yaml', '.mocharc.yml', '.mocharc.jsonc']);
  if (deps.mocha || mochaCfg || /\bmocha\b/.test(script ?? '')) return { tool: 'mocha', why: mochaCfg ?? 'mocha in package.json' };
  // AVA: run by itself, not through a test script that also lints (`xo && ava && tsd`): lint is a stage of its own.
  const avaCfg = files.first(dir, CONFIG('ava.config'));
  if (deps.ava || avaCfg || pkg.ava !== undefined || /(?:^|[\s&|;(])ava(?:\s|$)/.test(script ?? ''))
    return {
      tool: 'ava',
      why: avaCfg ?? (pkg.ava !== undefined ? '"ava" in package.json' : deps.ava ? 'ava in package.json' : 'the test script runs ava'),
    };
  // tape: run by itself with the files the test script gives it, not through a script that also
  // lints (`standard && tape test/*.js`); only where the script runs tape: mafintosh/end-of-stream's
  // `node test.js` requires tape itself (npm test, below), and bare tape, given no file, runs nothing.
  if (/(?:^|[\s&|;(])tape(?:\s|$)/.test(script ?? '')) return { tool: 'tape', why: 'the test script runs tape' };
  // node-tap measures coverage itself, with the project's thresholds (100 % unless configured):
  // under another coverage tool it leaves its own check out (npm/ini: green below its 100 %).
  if (deps.tap || /(?:^|[\s&|;(])tap(?:\s|$)/.test(script ?? ''))
    return { tool: 'tap', why: deps.tap ? 'tap in package.json' : 'the test script runs tap' };
  if (script && /^node\s+(?:--[\w-]+(?:=\S+)?\s+)*--test(?:\s|$)/.test(script.trim()))
    return { tool: 'node:test', why: `the test script is \`${script}\`` };
  if (script) return { tool: 'npm test', why: `the test script is \`${script}\`` };
  return undefined;
}

type CoverageWrapper = { tool: 'c8' | 'nyc'; command: string };

/**
 * The coverage tool that wraps a test command, when the project has one installed: c8, else nyc
 * (istanbul's command line, as older projects use it). Both print istanbul's `text-summary`;
 * their working files go to the stage's temporary folder, not the project's tree (nyc's
 * `--temp-directory`: nyc 10, as minimist's, ignores `--temp-dir` and wrote `.nyc_output/` into the judged code;
 * nyc 15 reads either).
 */
function coverageWrapper(files: ProjectFiles, dir: string): CoverageWrapper | undefined {
  if (installed(files, dir, 'c8')) return { tool: 'c8', command: tool('c8', '--reporter=text-summary --temp-directory="$FACTORY_TMP/c8"') };
  if (installed(files, dir, 'nyc'))
    return {
      tool: 'nyc',
      command: tool('nyc', '--reporter=text-summary --temp-directory="$FACTORY_TMP/nyc" --report-dir="$FACTORY_TMP/nyc-report"'),
    };
  return undefined;
}

/** A word of a test script passed on to a stage's command: plain words, globs and flags, or a quoted one without expansions. */
const PLAIN_ARG = /^(?:[\w./*{},=:@+%-]+|'[^'\\$`]*'|"[^"\\$`]*")$/;

/**
 * The arguments the test script gives `bin` (`mocha test/*.ts --timeout 5000` → `test/*.ts
 * --timeout 5000`), up to the end of its command (`&&`, `;`, `|`); '' when there are none or
 * one is not a plain word (the runner then runs with its own configuration only).
 */
function runnerArgs(script: string | undefined, bin: string): string {
  const words = scriptWords(script, bin);
  return words.every((w) => PLAIN_ARG.test(w)) ? words.join(' ') : '';
}

/** The words a script gives `bin` up to the end of its command (`&&`, `;`, `|`); [] where it does not run `bin`. */
function scriptWords(script: string | undefined, bin: string): string[] {
  const at = script ? new RegExp(`(?:^|[\\s&|;(/])${bin}((?:[ \\t]+[^&|;\\s]+)*)`).exec(script) : null;
  return at
    ? at[1]
        .trim()
        .split(/[ \t]+/)
        .filter(Boolean)
    : [];
}

/** The unit-test run, with coverage when the project's tools can measure it. */
function unitTest(pkg: PackageJson, files: ProjectFiles, dir: string): { test: PlannedTool; coverage: PlannedTool } {
  const runner = testRunner(pkg, files, dir);
  const script = testScript(pkg);
  const npm = npmTest(pkg);
  const cover = coverageWrapper(files, dir);
  const viaWrapper = (w: CoverageWrapper, what: string, cmd: string, why = runner?.why): { test: PlannedTool; coverage: PlannedTool } => ({
    test: {
      tool: `${what} under ${w.tool}`,
      command: `${w.command} ${cmd}`,
      why: `${why}; ${w.tool} is installed`,
      coverage: { parser: 'istanbul-text' },
    },
    coverage: { tool: w.tool, why: `the unit-test run measures it (${w.tool} is installed)` },
  });
  const noCoverage = (test: PlannedTool, add: string): { test: PlannedTool; coverage: PlannedTool } => ({
    test,
    coverage: { tool: 'none', why: `${test.tool} runs without a coverage tool`, notConfigured: add },
  });
  if (!runner) {
    return {
      test: {
        tool: 'none',
        why: 'package.json has no test script and no test runner',
        notConfigured: 'add a test runner (vitest, jest or node --test) and a "test" script to package.json',
      },
      coverage: { tool: 'none', why: 'no tests', notConfigured: 'add tests first' },
    };
  }
  const bin = runner.tool === 'node:test' || runner.tool === 'npm test' ? undefined : runner.tool;
  if (bin && !installed(files, dir, bin)) {
    const test = { tool: bin, why: runner.why, missing: `${bin} is configured (${runner.why}) but not installed: ${missingAdvice(bin)}` };
    return { test, coverage: { tool: 'none', why: `${bin} is not installed`, notConfigured: missingAdvice(bin) } };
  }
  switch (runner.tool) {
    case 'vitest': {
      const provider = ['@vitest/coverage-v8', '@vitest/coverage-istanbul'].find((p) => resolvable(files, dir, p));
      // The type tests (`*.test-d.ts`) run only when asked, as the test script asks (unjs/ufo: `vitest run --typecheck`).
      const typecheck = /(?:^|[\s(])vitest\b[^&|;]*\s--typecheck(?:\s|$)/.test(script ?? '');
      const run = `run ${VITEST_NOT_FACTORY}${typecheck ? ' --typecheck' : ''}`;
      const why = `${runner.why}${typecheck ? '; the test script runs its type tests (--typecheck)' : ''}`;
      if (!provider) {
        return noCoverage(
          { tool: 'vitest', command: `${VITEST_CI} ${tool('vitest', run)}`, why },
          `add a coverage provider: ${missingAdvice('@vitest/coverage-v8')}`,
        );
      }
      return {
        test: {
          tool: 'vitest',
          command: `${VITEST_CI} ${tool(
            'vitest',
            `${run} --coverage.enabled=true --coverage.reporter=text-summary --coverage.reportsDirectory="$FACTORY_TMP/coverage"`,
          )}`,
          why: `${why}; coverage by ${provider}`,
          coverage: { parser: 'istanbul-text' },
        },
        coverage: { tool: provider, why: 'the unit-test run measures it (vitest with its coverage provider)' },
      };
    }
    case 'jest':
      return {
        test: {
          tool: 'jest',
          command: tool(
            'jest',
            `${JEST_CI} --coverage --coverageReporters=text-summary --coverageDirectory="$FACTORY_TMP/coverage" ${JEST_NOT_FACTORY}`,
          ),
          why: runner.why,
          coverage: { parser: 'istanbul-text' },
        },
        coverage: { tool: 'jest', why: 'the unit-test run measures it (jest --coverage)' },
      };
    case 'mocha':
    case 'ava':
    case 'tape': {
      // The files (and options) the test script gives the runner: mocha's default spec is
      // ./test/*.{js,cjs,mjs}, so async-mutex's `mocha test/*.ts` ran bare found no test file.
      // In the script the test script runs, when the runner is found only there (fast-deep-equal).
      const args = runnerArgs(script, runner.tool) || runnerArgs(expandedScript(pkg, 'test'), runner.tool);
      const command = tool(runner.tool, args);
      const why = args ? `${runner.why}; the test script gives it \`${args}\`` : runner.why;
      return cover
        ? viaWrapper(cover, runner.tool, command, why)
        : noCoverage({ tool: runner.tool, command, why }, `add c8: ${missingAdvice('c8')}`);
    }
    case 'tap': {
      // tap 18 and later print no coverage report when coverage is complete unless asked for one;
      // tap 16 given a report type and no test files reports the last run's instead of running.
      const major = installedMajor(files, dir, 'tap');
      const modern = major !== undefined && major >= 18;
      return {
        test: {
          tool: 'tap',
          command: tool('tap', modern ? '--reporter=tap --coverage-report=text-summary' : '--reporter=tap'),
          why: `${runner.why}${major ? ` (tap ${major})` : ''}; tap runs its own coverage tool and checks the project's coverage thresholds`,
          coverage: { parser: 'istanbul-text' },
        },
        coverage: { tool: 'tap', why: 'the unit-test run measures it (tap with its own coverage tool)' },
      };
    }
    case 'node:test': {
      if (cover?.tool === 'c8') return viaWrapper(cover, 'node --test', npm.command, `${runner.why}${npm.why}`);
      const args = (script as string).trim().replace(/^node\s+/, '');
      return {
        test: {
          tool: 'node:test',
          command: `node --experimental-test-coverage ${args}`,
          why: runner.why,
          coverage: { parser: 'node-test' },
        },
        coverage: { tool: 'node:test', why: "the unit-test run measures it (node's --experimental-test-coverage)" },
      };
    }
    default:
      return cover
        ? viaWrapper(cover, 'npm test', npm.command, `${runner.why}${npm.why}`)
        : noCoverage(
            { tool: 'npm test', command: npm.command, why: `${runner.why}${npm.why}` },
            `add c8 (${missingAdvice('c8')}) or a runner with coverage`,
          );
  }
}

/** A `pretest` script that builds what the tests import (`rimraf build && tsc -p tsconfig.test.json`, `npm run build`). */
const BUILDS =
  /(?:^|[\s&|;(/])(?:tsc|rimraf|babel|rollup|esbuild|tsup|swc|webpack|microbundle|unbuild|pkgroll|build|compile)(?=[\s:&|;)]|$)/;

/**
 * The test run after the project's `pretest` when that builds, as `npm test` runs it: yargs-parser's
 * mocha tests import `build/lib/index.js`, which its pretest compiles from `lib/*.ts`; without it a
 * planted bug in `lib/` passed against the stale build (362 passed where 46 fail), and a task's
 * workspace, which has no git-ignored build, failed every test. A `pretest` that only lints is
 * left to the lint stage, which judges the change alone. (`npm test` itself runs it anyway.)
 */
function buildingFirst(pkg: PackageJson, plan: { test: PlannedTool; coverage: PlannedTool }): { test: PlannedTool; coverage: PlannedTool } {
  const pretest = pkg.scripts?.pretest;
  const { test } = plan;
  // Plain `npm test` runs the pretest and the test script's own first step itself.
  if (!test.command || test.command === 'npm test' || test.command.endsWith(' npm test')) return plan;
  if (pretest && BUILDS.test(pretest))
    return {
      ...plan,
      test: {
        ...test,
        command: `npm run -s pretest && ${test.command}`,
        why: `${test.why}; after the pretest script, which builds (\`${pretest}\`)`,
      },
    };
  // A test script whose first step builds (fast-deep-equal: `npm run build && …`, which writes the
  // git-ignored index.js its tests require), the runner found further on: that step first too.
  const first = RUNS_SCRIPT_FIRST.exec(pkg.scripts?.test ?? '')?.[1];
  const step = first === undefined ? undefined : pkg.scripts?.[first];
  if (first === undefined || step === undefined || !BUILDS.test(`${first} ${step}`) || !PLAIN_ARG.test(first)) return plan;
  // `npm test` (with --ignore-scripts) runs the test script, that step included.
  if (runsNpmTest(test.command)) return plan;
  return {
    ...plan,
    test: {
      ...test,
      command: `npm run -s ${first} && ${test.command}`,
      why: `${test.why}; after the test script's first step, which builds (\`${step}\`)`,
    },
  };
}

/**
 * Whether the project's scripts run `bin` so that its warnings fail (`--max-warnings 0`, Biome's
 * `--error-on-warnings`, oxlint's `--deny-warnings`). Otherwise a rule the project set to "warn"
 * does not fail its own lint, and does not fail the task's either.
 */
function warningsFail(pkg: PackageJson, bin: string): boolean {
  const runs = new RegExp(`(?:^|[\\s/&|;(])${bin}(?:\\s|$)`);
  return Object.values(pkg.scripts ?? {}).some(
    (script) => runs.test(script) && /--max-warnings(?:=|\s+)0\b|--error-on-warnings|--deny-warnings/.test(script),
  );
}

function lint(pkg: PackageJson, files: ProjectFiles, dir: string): PlannedTool {
  const flat = files.upward(dir, ESLINT_FLAT);
  const legacy = flat ? undefined : (files.upward(dir, ESLINT_LEGACY) ?? (pkg.eslintConfig ? join(dir, 'package.json') : undefined));
  const eslintCfg = flat ?? legacy;
  if (eslintCfg) {
    if (!installed(files, dir, 'eslint'))
      return {
        tool: 'eslint',
        why: eslintCfg,
        missing: `ESLint is configured (${eslintCfg}) but not installed: ${missingAdvice('eslint')}`,
      };
    const env = legacy ? 'ESLINT_USE_FLAT_CONFIG=false ' : '';
    // A configuration of JavaScript Standard Style's rules (fastify's neostandard), which check style too.
    const style = styleConfig(files.text(eslintCfg) ?? '');
    const own = eslintScriptArgs(pkg);
    const args = own?.args ?? '.';
    return {
      tool: 'eslint',
      command: `${env}${tool('eslint', `${args} ${ESLINT_NOT_FACTORY}`)}`,
      why: `${eslintCfg}${legacy ? ' (legacy configuration)' : ''}${style ? ` (${style})` : ''}${own && args !== '.' ? `; as the ${own.script} script runs it: \`eslint ${args}\`` : ''}`,
      findings: 'eslint-stylish',
      ...(warningsFail(pkg, 'eslint') ? {} : { warningsPass: true as const }),
    };
  }
  // XO (an ESLint wrapper with its own configuration: xo.config.*, "xo" in package.json, or none).
  const xo = files.upward(dir, XO) ?? (pkg.xo !== undefined || pkg.devDependencies?.xo ? join(dir, 'package.json') : undefined);
  if (xo) {
    if (!installed(files, dir, 'xo'))
      return { tool: 'xo', why: xo, missing: `XO is configured (${xo}) but not installed: ${missingAdvice('xo')}` };
    return {
      tool: 'xo',
      command: tool('xo', `--reporter=stylish --ignore='.factory/**'`),
      why: xo,
      findings: 'eslint-stylish',
      ...(warningsFail(pkg, 'xo') ? {} : { warningsPass: true as const }),
    };
  }
  // JavaScript Standard Style (standard, semistandard): ESLint with a fixed configuration and a
  // command line of its own; it skips dot folders (.factory among them) and .gitignore'd files.
  const standard = STANDARD.find((name) => pkg[name] !== undefined || pkg.devDependencies?.[name] || pkg.dependencies?.[name]);
  if (standard) {
    const why = `${standard} in ${join(dir, 'package.json')}`;
    if (!installed(files, dir, standard))
      return { tool: standard, why, missing: `${standard} is configured (${why}) but not installed: ${missingAdvice(standard)}` };
    return { tool: standard, command: tool(standard, ''), why, findings: 'standard', warningsPass: true };
  }
  const biome = files.upward(dir, BIOME);
  if (biome) {
    if (!installed(files, dir, 'biome'))
      return { tool: 'biome', why: biome, missing: `Biome is configured (${biome}) but not installed: ${missingAdvice('@biomejs/biome')}` };
    // `biome check` (or `ci`) in the project's scripts: its checks, imports' order among them, but formatting (the format stage's).
    const check = Object.values(pkg.scripts ?? {}).some((script) => /(?:^|[\s/&|;(])biome\s+(?:check|ci)\b/.test(script));
    return {
      tool: 'biome',
      command: tool('biome', `${check ? 'check --formatter-enabled=false' : 'lint'} --reporter=github ${BIOME_GIT_IGNORES} .`),
      why: `${biome}${check ? " (the project's scripts run biome check: its assists, such as the imports' order, too)" : ''}`,
      findings: 'biome',
      ...(warningsFail(pkg, 'biome') ? {} : { warningsPass: true as const }),
    };
  }
  const oxlint = files.upward(dir, OXLINT) ?? (pkg.devDependencies?.oxlint ? join(dir, 'package.json') : undefined);
  if (oxlint) {
    if (!installed(files, dir, 'oxlint'))
      return { tool: 'oxlint', why: oxlint, missing: `oxlint is configured (${oxlint}) but not installed: ${missingAdvice('oxlint')}` };
    return {
      tool: 'oxlint',
      command: tool('oxlint', '-f unix'),
      why: oxlint,
      findings: 'gcc',
      ...(warningsFail(pkg, 'oxlint') ? {} : { warningsPass: true as const }),
    };
  }
  return {
    tool: 'none',
    why: 'no ESLint, XO, standard, Biome or oxlint configuration here or above',
    notConfigured: `add a linter, e.g. ${missingAdvice('eslint @eslint/js typescript-eslint')} and an eslint.config.mjs`,
  };
}

function format(pkg: PackageJson, files: ProjectFiles, dir: string, linter: PlannedTool): PlannedTool {
  const own = prettierScript(pkg);
  // A project whose only Prettier setting is its script's options (magic-string) formats with it too.
  const prettier =
    files.upward(dir, PRETTIER) ??
    (pkg.prettier ? join(dir, 'package.json') : own ? `the ${own.script} script in ${join(dir, 'package.json')}` : undefined);
  if (prettier) {
    if (!installed(files, dir, 'prettier'))
      return {
        tool: 'prettier',
        why: prettier,
        missing: `Prettier is configured (${prettier}) but not installed: ${missingAdvice('prettier')}`,
      };
    const how = own
      ? `; the ${own.script} script ${own.writes ? 'formats' : 'checks'} \`${own.paths}\`${own.options ? ` with \`${own.options}\`` : ''}`
      : '';
    return {
      tool: 'prettier',
      command: prettierFormat(own?.paths, own?.options),
      why: `${prettier}${how}`,
      findings: 'unified-diff',
    };
  }
  const biome = files.upward(dir, BIOME);
  if (biome && installed(files, dir, 'biome')) return { tool: 'biome', command: BIOME_FORMAT, why: biome, findings: 'unified-diff' };
  const oxfmt = files.upward(dir, OXFMT) ?? (pkg.devDependencies?.oxfmt ? join(dir, 'package.json') : undefined);
  if (oxfmt) {
    if (!installed(files, dir, 'oxfmt'))
      return { tool: 'oxfmt', why: oxfmt, missing: `oxfmt is configured (${oxfmt}) but not installed: ${missingAdvice('oxfmt')}` };
    // --list-different names each file one a line, as prettier -l does (--check adds timings to each name).
    return { tool: 'oxfmt', command: tool('oxfmt', '--list-different .'), why: oxfmt, findings: 'file-list' };
  }
  return {
    tool: 'none',
    why: 'no Prettier, Biome or oxfmt configuration here or above',
    notConfigured:
      linter.tool === 'xo' || linter.tool === 'standard' || linter.tool === 'semistandard' || STYLE_CONFIGS.test(linter.why)
        ? `${linter.tool === 'xo' ? 'XO' : linter.tool === 'eslint' ? `ESLint (${STYLE_CONFIGS.exec(linter.why)?.[0]})` : linter.tool} checks the code's style in the lint stage; for a formatter of its own add one, e.g. ${missingAdvice('prettier')} and a .prettierrc`
        : `add a formatter, e.g. ${missingAdvice('prettier')} and a .prettierrc`,
  };
}

function implement(pkg: PackageJson, files: ProjectFiles, dir: string): PlannedTool {
  const tsconfig = files.first(dir, ['tsconfig.json']);
  if (!tsconfig) {
    // JavaScript with hand-written type definitions tested by tsd (index.d.ts and index.test-d.ts): tsd type-checks them.
    if (pkg.devDependencies?.tsd || pkg.dependencies?.tsd) {
      if (!installed(files, dir, 'tsd'))
        return {
          tool: 'tsd',
          why: 'tsd in package.json',
          missing: `tsd is configured (tsd in package.json) but not installed: ${missingAdvice('tsd')}`,
        };
      return {
        tool: 'tsd',
        command: tool('tsd'),
        why: `no tsconfig.json in ${dir}; tsd in package.json checks the type definitions against their type tests`,
      };
    }
    return { tool: 'none', why: `no tsconfig.json in ${dir}`, notConfigured: 'add a tsconfig.json to type-check the code' };
  }
  if (!installed(files, dir, 'tsc'))
    return {
      tool: 'tsc',
      why: tsconfig,
      missing: `TypeScript is configured (${tsconfig}) but not installed: ${missingAdvice('typescript')}`,
    };
  if (compiledBeside(files, dir, tsconfig))
    return {
      tool: 'tsc',
      command: FRESH_OUTPUT,
      why: `${tsconfig} compiles in place and the compiled .js is kept beside its .ts: the stage also checks it is what tsc makes of it now`,
      findings: 'gcc',
    };
  return { tool: 'tsc', command: tool('tsc', '--noEmit -p .'), why: tsconfig };
}

/**
 * A project that keeps tsc's output in the repository beside its sources (tsconfig with no
 * outDir, a `.js` next to a `.ts`) runs that output, not the sources: its tests `require` it. A
 * change to a `.ts` whose `.js` was not rebuilt is then untested. So the stage compiles into its
 * scratch directory (errors shown as `tsc: …`, failing the stage as before) and reports, as a
 * finding on line 1, each kept `.js` that differs from what tsc makes now, naming tsc's output by
 * its checksum (in letters: the comparison with the base commit blurs digits). Output that was
 * already stale at the base commit (a project built with another tsc) matches the base's finding
 * and stays "already there", unless the change altered its source: then tsc's output differs.
 */
const FRESH_OUTPUT = [
  `tsc -p . --outDir "$FACTORY_TMP/emit" --rootDir . >"$FACTORY_TMP/tsc.out" 2>&1 || { sed 's/^/tsc: /' "$FACTORY_TMP/tsc.out"; exit 2; }`,
  `cd "$FACTORY_TMP/emit" && find . -name '*.js' -type f | sort | { s=0; while IFS= read -r f; do o="$OLDPWD/$f"; [ -f "$o" ] || continue; cmp -s "$f" "$o" && continue; h=$(cksum <"$f" | cut -d' ' -f1 | tr 0-9 a-j); echo "\${f#./}:1: not what tsc makes of its source now (tsc's output $h): rebuild it (npm run build) and keep it with the change"; s=1; done; exit $s; }`,
].join('\n');

/** tsconfig.json without comments and trailing commas, parsed; undefined when it is not JSON then. */
function readJsonc(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const end = /"(?:[^"\\]|\\.)*"/y;
      end.lastIndex = i;
      const m = end.exec(text);
      if (!m) return undefined;
      out += m[0];
      i += m[0].length - 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) return undefined;
      i = close + 1;
    } else out += c;
  }
  try {
    const parsed: unknown = JSON.parse(out.replace(/,(\s*[}\]])/g, '$1'));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `tsconfig` emits beside the sources and a `.js` sits next to a `.ts` in `dir` or a folder just below it. */
function compiledBeside(files: ProjectFiles, dir: string, tsconfig: string): boolean {
  const config = readJsonc(files.text(tsconfig));
  if (!config || config.extends !== undefined) return false;
  const o = (config.compilerOptions ?? {}) as Record<string, unknown>;
  if (o.noEmit || o.outDir || o.outFile || o.out || o.emitDeclarationOnly || o.rootDir || o.allowJs) return false;
  const listed = (config.include ?? config.files ?? []) as unknown;
  if (Array.isArray(listed) && listed.some((p) => typeof p !== 'string' || p.startsWith('..'))) return false;
  const below = files
    .list(dir)
    .filter((n) => !n.startsWith('.') && n !== 'node_modules' && files.isDir(join(dir, n)))
    .map((n) => join(dir, n));
  return [dir, ...below].some((d) => {
    const names = new Set(files.list(d));
    return [...names].some((n) => /\.tsx?$/.test(n) && !n.endsWith('.d.ts') && names.has(n.replace(/\.tsx?$/, '.js')));
  });
}

/** The tools of a JavaScript or TypeScript project in `dir` (a package.json there, or none). */
export function detectNode(files: ProjectFiles, dir: string): Tools | DetectionProblem {
  const file = join(dir, 'package.json');
  const text = files.text(file);
  let pkg: PackageJson = {};
  if (text !== undefined) {
    try {
      const parsed = JSON.parse(text) as unknown;
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
        return {
          file,
          field: '(document)',
          message: `expected a JSON object, got ${Array.isArray(parsed) ? 'a list' : JSON.stringify(parsed)}`,
        };
      pkg = parsed as PackageJson;
    } catch (e) {
      return { file, field: '(document)', message: `expected JSON, got a syntax error: ${(e as Error).message}` };
    }
  }
  const { test, coverage } = buildingFirst(pkg, withFollowedHooks(pkg, unitTest(pkg, files, dir)));
  const linter = lint(pkg, files, dir);
  return { implement: implement(pkg, files, dir), 'unit-test': test, coverage, lint: linter, format: format(pkg, files, dir, linter) };
}
