import { parse, TomlError } from 'smol-toml';
import { join, parent, type ProjectFiles } from './fs';
import type { DetectionProblem, PlannedTool, ToolSlot } from './types';

type Tools = Partial<Record<ToolSlot, PlannedTool>>;

/** The interpreter: `$PYTHON` when set (e.g. in .factory/config.yaml env), else python3. */
const PY = '"${PYTHON:-python3}"';
/**
 * Modules at the top (no package): what compileall and pyflakes are given is the directory, so
 * they leave out what the project's own tools would not see: directories starting with `.` (the
 * task's workspace under `.factory/workspaces/`, a `.venv`) and `node_modules` (Nx's).
 */
const TOP_SKIP = '/(\\.[^/]|node_modules/)';
const TOP_FILES = "find . -mindepth 1 \\( -name '.*' -o -name node_modules \\) -prune -o -type f -name '*.py' -print0";
/** Exits 127 saying what to install when the configured tool `module` is not importable by the stage's Python (fixed names, never the project's text). */
const moduleGuard = (module: string, packages: string, name = module) =>
  `if ! ${PY} -c 'import ${module}' 2>/dev/null; then echo "error: ${name} is not installed for $(command -v \${PYTHON:-python3}), which the project configures: pip install ${packages}, or set PYTHON in .factory/config.yaml env"; exit 127; fi`;
/** ruff is a program of its own (pip or pipx puts it on PATH): when it is not there, say what to install, as the flake8 and black guards do. */
const RUFF_GUARD =
  'if ! command -v ruff >/dev/null 2>&1; then echo "error: ruff is not installed for this project, which configures it: pip install ruff (or pipx install ruff), or give the stage a command in the contract"; exit 127; fi';
const NOT_PACKAGES = new Set(['tests', 'test', 'testing', 'docs', 'doc', 'examples', 'example', 'build', 'dist', 'benchmarks', 'scripts']);
const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

interface Layout {
  /** Directories holding the project's packages, relative to the project directory. */
  packages: string[];
  /** `src` for a src/ layout: put on PYTHONPATH so tests import the package as the project's setup expects. */
  pathEntry?: string;
  why: string;
}

function layoutOf(files: ProjectFiles, dir: string): Layout {
  const pkgs = (under: string) => {
    const base = under === '.' ? dir : join(dir, under);
    return files
      .list(base)
      .filter((n) => !n.startsWith('.') && !NOT_PACKAGES.has(n) && files.isFile(join(base, `${n}/__init__.py`)))
      .sort();
  };
  const src = files.isDir(join(dir, 'src')) ? pkgs('src') : [];
  if (src.length) return { packages: src.map((p) => `src/${p}`), pathEntry: 'src', why: `src/ layout (${src.join(', ')})` };
  const flat = pkgs('.');
  return flat.length ? { packages: flat, why: `flat layout (${flat.join(', ')})` } : { packages: [], why: 'modules at the top' };
}

/** Reads pyproject.toml, setup.cfg and tox.ini for the tools a project configures. */
function configured(
  files: ProjectFiles,
  dir: string,
): { pyproject?: Record<string, unknown>; has: (tool: string) => string | undefined } | DetectionProblem {
  const pyFile = join(dir, 'pyproject.toml');
  const text = files.text(pyFile);
  let pyproject: Record<string, unknown> | undefined;
  if (text !== undefined) {
    try {
      pyproject = parse(text) as Record<string, unknown>;
    } catch (e) {
      const where = e instanceof TomlError ? ` at line ${e.line}, column ${e.column}` : '';
      return {
        file: pyFile,
        field: '(document)',
        message: `expected TOML, got a syntax error${where}: ${(e as Error).message.split('\n')[0]}`,
      };
    }
  }
  const tool = (pyproject?.tool ?? {}) as Record<string, unknown>;
  const ini = (name: string) => files.text(join(dir, name)) ?? '';
  const setupCfg = ini('setup.cfg');
  const toxIni = ini('tox.ini');
  const section = (text: string, names: string[]) => names.some((n) => new RegExp(`^\\[${n.replace(/[.:]/g, '\\$&')}\\]`, 'm').test(text));
  // A formatter the project runs through pre-commit (itsdangerous: `ruff-format`, with [tool.ruff] but no [tool.ruff.format]).
  const preCommit = join(dir, '.pre-commit-config.yaml');
  const hook = (id: string) =>
    new RegExp(`^\\s*-?\\s*id:\\s*["']?${id}["']?\\s*(?:#.*)?$`, 'm').test(files.text(preCommit) ?? '')
      ? `the ${id} hook in ${preCommit}`
      : undefined;
  // …or through its CI, tox, make or nox (kjd/idna's CI runs `ruff format --check idna`).
  const ranBy = (pattern: RegExp, what: string) => {
    const found = commandTexts(files, dir).find(({ text }) => pattern.test(text));
    return found ? `${what} in ${found.file}` : undefined;
  };
  const has = (t: string): string | undefined => {
    switch (t) {
      case 'ruff':
        return tool.ruff ? `[tool.ruff] in ${pyFile}` : (files.first(dir, ['ruff.toml', '.ruff.toml']) ?? undefined);
      case 'ruff-format':
        return (tool.ruff as Record<string, unknown> | undefined)?.format
          ? `[tool.ruff.format] in ${pyFile}`
          : (hook('ruff-format') ?? ranBy(/\bruff\s+format\b/, '`ruff format`'));
      case 'flake8':
        return (
          files.first(dir, ['.flake8']) ??
          (tool.flake8 ? `[tool.flake8] in ${pyFile} (read by flake8 with flake8-pyproject)` : undefined) ??
          (section(setupCfg, ['flake8'])
            ? `[flake8] in ${join(dir, 'setup.cfg')}`
            : section(toxIni, ['flake8'])
              ? `[flake8] in ${join(dir, 'tox.ini')}`
              : undefined)
        );
      case 'black':
        return tool.black ? `[tool.black] in ${pyFile}` : (hook('black') ?? ranBy(/\bblack\s+(?:--check|--diff)\b/, '`black --check`'));
      case 'coverage':
        return tool.coverage
          ? `[tool.coverage] in ${pyFile}`
          : (files.first(dir, ['.coveragerc']) ??
              (section(setupCfg, ['coverage:run']) ? `[coverage:run] in ${join(dir, 'setup.cfg')}` : undefined) ??
              (section(toxIni, ['coverage:run']) ? `[coverage:run] in ${join(dir, 'tox.ini')}` : undefined));
      default:
        return undefined;
    }
  };
  return { pyproject, has };
}

/**
 * A test module using unittest's own loading protocols (`test_suite()`, `load_tests()`), which
 * pytest does not follow: such a suite runs as the project runs it, with unittest. Looked for in
 * the usual test folders; a pytest configuration wins.
 */
function unittestSuite(files: ProjectFiles, dir: string, layout: Layout): string | undefined {
  const folders = ['tests', 'test', ...layout.packages.flatMap((p) => [`${p}/tests`, `${p}/test`])];
  for (const folder of folders) {
    const d = join(dir, folder);
    for (const name of files.list(d).sort()) {
      if (!name.endsWith('.py')) continue;
      const f = join(d, name);
      if (/^def (test_suite|load_tests)\(/m.test(files.text(f) ?? '')) return f;
    }
  }
  return undefined;
}

/** Where the project configures pytest (its `why` in the plan), or undefined. */
const hasPytestConfig = (files: ProjectFiles, dir: string, pyproject: Record<string, unknown> | undefined): string | undefined =>
  ((pyproject?.tool as Record<string, unknown> | undefined)?.pytest ? `[tool.pytest] in ${join(dir, 'pyproject.toml')}` : undefined) ??
  files.first(dir, ['pytest.ini', '.pytest.ini', 'conftest.py', 'tests/conftest.py', 'test/conftest.py']) ??
  (/^\[tool:pytest\]/m.test(files.text(join(dir, 'setup.cfg')) ?? '') ? `[tool:pytest] in ${join(dir, 'setup.cfg')}` : undefined) ??
  (/^\[pytest\]/m.test(files.text(join(dir, 'tox.ini')) ?? '') ? `[pytest] in ${join(dir, 'tox.ini')}` : undefined);

/** The text of an ini file's `[name]` section (up to the next section), or ''. */
function iniSection(text: string, name: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === `[${name}]`);
  if (start < 0) return '';
  const end = lines.findIndex((l, i) => i > start && /^\[/.test(l));
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

/**
 * Where the project's own pytest options turn pytest-cov on (`--cov` in `addopts`), or
 * undefined: pytest-cov then measures inside the run, and a `coverage run` around pytest
 * measures nothing (python-semver: 0 % where the project has 100 %).
 */
function pytestCovIn(files: ProjectFiles, dir: string, pyproject: Record<string, unknown> | undefined): string | undefined {
  const ini = ((pyproject?.tool as Record<string, unknown> | undefined)?.pytest as Record<string, unknown> | undefined)?.ini_options as
    Record<string, unknown> | undefined;
  const opts = ini?.addopts;
  const covers = (text: string) => /(?:^|\s|["'])--cov(?:[=\s"']|$)/m.test(text);
  if (covers(Array.isArray(opts) ? opts.join(' ') : typeof opts === 'string' ? opts : ''))
    return `addopts in [tool.pytest.ini_options] of ${join(dir, 'pyproject.toml')}`;
  for (const [file, name] of [
    ['pytest.ini', 'pytest'],
    ['.pytest.ini', 'pytest'],
    ['tox.ini', 'pytest'],
    ['setup.cfg', 'tool:pytest'],
  ] as const) {
    const section = iniSection(files.text(join(dir, file)) ?? '', name);
    const addopts = /^addopts\s*=([^\n]*(?:\n[ \t]+[^\n]*)*)/m.exec(section);
    if (addopts && covers(addopts[1])) return `addopts in [${name}] of ${join(dir, file)}`;
  }
  return undefined;
}

/** Where a project writes the pytest command lines it runs (besides its CI workflows). */
const PYTEST_COMMAND_FILES = ['tox.ini', 'Makefile', 'noxfile.py'];

/** A pytest command line with `--doctest-modules` (`pytest --doctest-modules pkg tests`, `python -m pytest … --doctest-modules`). */
const PYTEST_DOCTESTS = /\bpytest\b[^\n]*\s--doctest-modules\b/;

/** Options of such a line that say what pytest collects, with their value (`--ignore benchmark`, `--doctest-glob=README.md`). */
const COLLECTION_OPTION = /^(--(?:doctest-glob|ignore|ignore-glob))(?:=(.*))?$/;

/**
 * Where the project runs pytest with `--doctest-modules` on its command line rather than in its
 * pytest options (which pytest reads itself): tox.ini's commands, a Makefile, noxfile.py; with
 * what that line collects: the paths it names (mahmoud/boltons: `pytest --doctest-modules
 * {envsitepackagesdir}/boltons tests`, 625 tests where plain pytest runs 472) and its
 * `--doctest-glob` and `--ignore` options (astanin/python-tabulate: `pytest --doctest-modules
 * --ignore benchmark --doctest-glob="README.md"`, no path: the README's doctests too, which
 * paths given by Factory would leave out). Undefined when it does not.
 */
function doctestsOnCommandLine(files: ProjectFiles, dir: string): { file: string; args: string[] } | undefined {
  for (const name of PYTEST_COMMAND_FILES) {
    const file = join(dir, name);
    const text = files.text(file) ?? '';
    const m = PYTEST_DOCTESTS.exec(text);
    if (!m) continue;
    const end = text.indexOf('\n', m.index);
    const words = text
      .slice(m.index, end < 0 ? undefined : end)
      .split(/\s+/)
      .slice(1)
      .map((w) => w.replace(/^(--[\w-]+=)?(["'])(.*)\2$/, '$1$3'));
    const options: string[] = [];
    const paths: string[] = [];
    for (let i = 0; i < words.length; i++) {
      const option = COLLECTION_OPTION.exec(words[i]);
      if (option) {
        const value = option[2] ?? words[++i];
        if (value) options.push(`${option[1]}=${value}`);
        continue;
      }
      // A path of the project's, maybe as tox installs it (`{envsitepackagesdir}/boltons`).
      const local = words[i].replace(/^\{envsitepackagesdir\}\//, '').replace(/\/$/, '');
      if (local && !local.startsWith('-') && !local.includes('{') && (files.isDir(join(dir, local)) || files.isFile(join(dir, local))))
        paths.push(local);
    }
    return { file, args: [...options, ...paths] };
  }
  return undefined;
}

/** A pytest command line that turns warnings into errors: `pytest -W error`, `py.test -W error::DeprecationWarning`. */
const PYTEST_WARNINGS_FAIL = /\b(?:py\.test|pytest)\b[^\n]*?\s-W\s*(error(?:::[A-Za-z_][\w.]*)?)(?=\s|$)/m;

/**
 * Where the project runs pytest with warnings as errors on its command line (Suor/funcy's tox.ini
 * and CI: `py.test -W error`, which fails a test that warns), and the filter it gives; undefined
 * when it does not. A filter in its pytest options (`filterwarnings = error`) pytest reads itself.
 */
function warningsFailOnCommandLine(files: ProjectFiles, dir: string): { file: string; filter: string } | undefined {
  for (const { file, text } of commandTexts(files, dir)) {
    const filter = PYTEST_WARNINGS_FAIL.exec(text)?.[1];
    if (filter) return { file, filter };
  }
  return undefined;
}

/** Each detection's reads of those files, once: four readers look for their commands in them. */
const commandTextsRead = new WeakMap<ProjectFiles, Map<string, { file: string; text: string }[]>>();

/** The files where a project writes the command lines it tests with (PYTEST_COMMAND_FILES and its CI workflows) that exist, with their text. */
function commandTexts(files: ProjectFiles, dir: string): { file: string; text: string }[] {
  const read = commandTextsRead.get(files) ?? new Map<string, { file: string; text: string }[]>();
  commandTextsRead.set(files, read);
  const known = read.get(dir);
  if (known) return known;
  const workflows = join(dir, '.github/workflows');
  const texts = [
    ...PYTEST_COMMAND_FILES.map((name) => join(dir, name)),
    ...files
      .list(workflows)
      .filter((n) => /\.ya?ml$/.test(n))
      .sort()
      .map((n) => join(workflows, n)),
  ].flatMap((file) => {
    const text = files.text(file);
    return text === undefined ? [] : [{ file, text }];
  });
  read.set(dir, texts);
  return texts;
}

/** `python -m unittest discover tests`, `coverage run --source=markdown -m unittest discover -s tests`: the start directory, when named. */
const UNITTEST_COMMAND = /(?:^|\s)-m\s+unittest(?:\s+discover(?:\s+-s)?(?:\s+([\w./-]+))?)?(?=\s|$)/m;

/**
 * Where a project with no pytest configuration runs its tests with unittest (Python-Markdown's
 * tox.ini and makefile: `coverage run --source=markdown -m unittest discover tests`; pytest
 * cannot collect its suite), and the directory discovery starts from there, when it is one.
 */
function unittestOnCommandLine(files: ProjectFiles, dir: string): { file: string; start?: string } | undefined {
  for (const { file, text } of commandTexts(files, dir)) {
    const m = UNITTEST_COMMAND.exec(text);
    if (!m) continue;
    const start = m[1]?.replace(/^\.\//, '').replace(/\/$/, '');
    return { file, ...(start && start !== '.' && files.isDir(join(dir, start)) ? { start } : {}) };
  }
  return undefined;
}

/** A module name as Python imports it: the only coverage plugin names that reach a stage's command. */
const MODULE_NAME = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/;

/**
 * What the project's coverage configuration sets for `coverage run` (`[tool.coverage.run]`, the
 * `[run]` of .coveragerc, `[coverage:run]` of setup.cfg and tox.ini): its keys, and the plugins it
 * loads (`plugins = ["covdefaults"]`), which coverage.py cannot start without, so the stage checks
 * for them with coverage.py itself. Plugin names that are not module names are left to
 * coverage.py to refuse.
 */
function coverageRun(
  files: ProjectFiles,
  dir: string,
  pyproject: Record<string, unknown> | undefined,
): { keys: Set<string>; plugins: string[] } {
  const run = ((pyproject?.tool as Record<string, unknown> | undefined)?.coverage as Record<string, unknown> | undefined)?.run as
    Record<string, unknown> | undefined;
  const keys = new Set(run && typeof run === 'object' ? Object.keys(run) : []);
  let names: unknown[] = Array.isArray(run?.plugins) ? run.plugins : [];
  for (const [file, name] of [
    ['.coveragerc', 'run'],
    ['setup.cfg', 'coverage:run'],
    ['tox.ini', 'coverage:run'],
  ] as const) {
    const section = iniSection(files.text(join(dir, file)) ?? '', name);
    for (const m of section.matchAll(/^([A-Za-z_]+)\s*[=:]/gm)) keys.add(m[1]);
    const plugins = names.length ? null : /^plugins\s*=([^\n]*(?:\n[ \t]+[^\n]*)*)/m.exec(section);
    if (plugins) names = plugins[1].split(/[\s,]+/).filter(Boolean);
  }
  return { keys, plugins: [...new Set(names.filter((n): n is string => typeof n === 'string' && MODULE_NAME.test(n)))] };
}

/** The tools of a Python project in `dir`: pytest (or unittest) with coverage.py, the linter and formatter it configures. */
/** Where pytest finds its configuration and conftest.py files, searching up from the tests. */
const PYTEST_FINDS = ['pytest.ini', '.pytest.ini', 'pyproject.toml', 'tox.ini', 'setup.cfg', 'conftest.py'];

export function detectPython(files: ProjectFiles, dir: string): Tools | DetectionProblem {
  const cfg = configured(files, dir);
  if ('file' in cfg) return cfg;
  // In the stages' cache key though absent: one appearing here or above changes what pytest runs
  // (simplejson under a workspace whose new pytest.ini deselected 6 tests: "178 passed" replayed).
  for (let d = dir; ; d = parent(d)) {
    for (const name of PYTEST_FINDS) files.watch(join(d, name));
    if (d === '.') break;
  }
  const layout = layoutOf(files, dir);
  const pathPrefix = layout.pathEntry ? `PYTHONPATH=${sq(layout.pathEntry)}"\${PYTHONPATH:+:$PYTHONPATH}" ` : '';
  const targets = layout.packages.length ? layout.packages.map(sq).join(' ') : '.';
  const ownCoverage = cfg.has('coverage');
  // What the project's coverage configuration leaves to the command line: without a `source` or
  // `include` coverage.py measures every module the run imports, the installed pytest and
  // hypothesis among them (python-hyper/hyperlink: 50.33 % for its own 94 %); a command-line
  // `--omit` would replace the project's own.
  const { keys: set, plugins } = ownCoverage ? coverageRun(files, dir, cfg.pyproject) : { keys: new Set<string>(), plugins: [] };
  const scoped = set.has('source') || set.has('source_pkgs') || set.has('include');
  const source = [
    ...(scoped ? [] : [`--source=${layout.packages.length ? layout.packages.map(sq).join(',') : '.'}`]),
    ...(scoped || set.has('omit') ? [] : ["--omit='*/tests/*,*/test/*,*/test_*.py,*/conftest.py,setup.py'"]),
  ]
    .map((a) => `${a} `)
    .join('');
  const pytestConfig = hasPytestConfig(files, dir, cfg.pyproject);
  const covPlugin = pytestConfig ? pytestCovIn(files, dir, cfg.pyproject) : undefined;
  const loading = pytestConfig ? undefined : unittestSuite(files, dir, layout);
  const ownUnittest = pytestConfig || loading ? undefined : unittestOnCommandLine(files, dir);
  const suite = loading ?? ownUnittest?.file;
  const top = layout.pathEntry ?? '.';
  // Doctests the project collects with its tests: what its own doctest command line collects.
  const doctests = pytestConfig ? doctestsOnCommandLine(files, dir) : undefined;
  const testsDir = ['tests', 'test'].find((d) => files.isDir(join(dir, d)));
  const warnings = warningsFailOnCommandLine(files, dir);
  const warningsArgs = warnings ? ` -W ${warnings.filter}` : '';
  const doctestArgs = `${warningsArgs}${doctests ? ` --doctest-modules ${doctests.args.map(sq).join(' ')}`.trimEnd() : ''}`;
  // Without a pytest configuration the tests are unittest's or plain functions pytest collects:
  // pytest when installed (it names each test), else unittest, which Python always has. pytest is
  // given the tests directory, as such projects' CI runs it (jmespath: `cd tests && py.test`):
  // from the top it would collect test files the project never runs (jmespath's extra/, which
  // imports hypothesis), unless a conftest.py there says the top is where pytest starts.
  const unconfiguredPath = testsDir && !files.isFile(join(dir, 'conftest.py')) ? ` ${testsDir}` : '';
  const runner = suite
    ? `-m unittest discover -s ${sq(ownUnittest?.start && top === '.' ? ownUnittest.start : top)} -t ${sq(top)}`
    : pytestConfig
      ? `-m pytest -q -p no:cacheprovider${doctestArgs}`
      : '$R';
  const cov = 'COVERAGE_FILE="$FACTORY_TMP/.coverage"';
  const missing = plugins.length
    ? `coverage.py or the coverage plugin${plugins.length > 1 ? 's' : ''} ${plugins.join(', ')} that ${ownCoverage} loads, is not installed for $(command -v \${PYTHON:-python3}) (pip install coverage ${plugins.map((p) => p.split('.')[0].replace(/_/g, '-')).join(' ')}`
    : 'coverage.py is not installed for $(command -v ${PYTHON:-python3}) (pip install coverage';
  const unitTest = [
    ...(suite
      ? []
      : pytestConfig
        ? [
            `if ! ${PY} -c 'import pytest' 2>/dev/null; then echo "error: pytest is not installed for $(command -v \${PYTHON:-python3}), which the project configures: pip install pytest, or set PYTHON in .factory/config.yaml env"; exit 127; fi`,
          ]
        : [
            `if ${PY} -c 'import pytest' 2>/dev/null; then R="-m pytest -q -p no:cacheprovider${warningsArgs}${unconfiguredPath}"; else echo "factory: pytest is not installed for $(command -v \${PYTHON:-python3}) and the project configures none: the tests run with unittest"; R='-m unittest'; fi`,
          ]),
    ...(covPlugin
      ? [
          // pytest-cov measures as the project set it up; a terminal report gives its total.
          `if ${PY} -c 'import pytest_cov' 2>/dev/null; then ${pathPrefix}${cov} ${PY} ${runner} --cov-report=term --cov-fail-under=0`,
          `else echo "error: pytest-cov is not installed for $(command -v \${PYTHON:-python3}), which the project's pytest options use (${covPlugin}): pip install pytest-cov, or set PYTHON in .factory/config.yaml env"; exit 127; fi`,
        ]
      : [
          // A configuration with `parallel = true` leaves one data file per process: combined before the report.
          `if ${PY} -c 'import ${['coverage', ...plugins].join(', ')}' 2>/dev/null; then ${pathPrefix}${cov} ${PY} -m coverage run ${source}${runner} && { ${cov} ${PY} -m coverage combine -q >/dev/null 2>&1; ${cov} ${PY} -m coverage report --precision=2 --fail-under=0; }`,
          `else echo "factory: coverage unavailable: ${missing}, or set PYTHON in .factory/config.yaml env to a Python that has it)"; ${pathPrefix}${PY} ${runner}; fi`,
        ]),
  ].join('\n');
  const tools: Tools = {
    implement: {
      tool: 'compileall',
      command: targets === '.' ? `${PY} -m compileall -q -x ${sq(TOP_SKIP)} .` : `${PY} -m compileall -q ${targets}`,
      why: layout.why,
    },
    'unit-test': {
      tool: suite ? 'unittest' : pytestConfig ? 'pytest' : 'pytest or unittest',
      command: unitTest,
      why: `${layout.why}${loading ? `; ${loading} loads its suite the unittest way (pytest would not run it)` : ownUnittest ? `; ${ownUnittest.file} runs the tests with unittest${ownUnittest.start ? ` (from ${ownUnittest.start}/)` : ''}` : pytestConfig ? `; ${pytestConfig}` : `; no pytest configuration: pytest${unconfiguredPath ? ` on ${testsDir}/` : ''} where installed, else unittest`}${doctests ? `; doctests too (--doctest-modules${doctests.args.length ? ` ${doctests.args.join(' ')}` : ''}), as ${doctests.file} runs them` : ''}${warnings && !suite ? `; warnings fail tests (-W ${warnings.filter}), as ${warnings.file} runs pytest` : ''}; ${covPlugin ? `coverage by pytest-cov, as the project's pytest options ask (${covPlugin})` : `coverage.py ${ownCoverage ? `with the project's own configuration (${ownCoverage})${scoped ? '' : `, on ${layout.packages.join(', ') || 'the project'} (it names no source)`}` : `on ${layout.packages.join(', ') || 'the project'}`}`}`,
      coverage: { parser: 'coverage-py' },
    },
    coverage: covPlugin
      ? { tool: 'pytest-cov', why: "the unit-test run measures it (pytest-cov, as the project's pytest options ask)" }
      : { tool: 'coverage.py', why: 'the unit-test run measures it' },
  };
  // pyflakes is given the packages, the test directories and the modules at the top (python-slugify's
  // tests are test.py there: a finding planted in it passed).
  const lintAlso = [
    ...['tests', 'test'].filter((d) => files.isDir(join(dir, d))),
    ...files.list(dir).filter((n) => n.endsWith('.py') && files.isFile(join(dir, n))),
  ]
    .sort()
    .map(sq);
  const ruff = cfg.has('ruff');
  const flake8 = cfg.has('flake8');
  if (ruff) tools.lint = { tool: 'ruff', command: `${RUFF_GUARD}\nruff check --output-format=concise .`, why: ruff, findings: 'gcc' };
  else if (flake8)
    tools.lint = {
      tool: 'flake8',
      command: [
        moduleGuard('flake8', `flake8${flake8.startsWith('[tool.flake8]') ? ' flake8-pyproject' : ''}`),
        // Without its plugin flake8 ignores [tool.flake8] and judges by its defaults (a 96-character line the project allows).
        ...(flake8.startsWith('[tool.flake8]')
          ? [moduleGuard('flake8p', 'flake8-pyproject', 'flake8-pyproject (which reads [tool.flake8] for flake8)')]
          : []),
        `${PY} -m flake8`,
      ].join('\n'),
      why: flake8,
      findings: 'gcc',
    };
  else
    tools.lint = {
      tool: 'pyflakes',
      command: [
        // The project chose no linter: without pyflakes the stage is not configured, not red.
        `if ! ${PY} -c 'import pyflakes' 2>/dev/null; then echo "factory: not configured: pyflakes is not installed for $(command -v \${PYTHON:-python3}) and the project configures no linter: pip install pyflakes, configure ruff or flake8, or set PYTHON in .factory/config.yaml env"; exit 0; fi`,
        targets === '.' ? `${TOP_FILES} | xargs -0 -r ${PY} -m pyflakes` : `${PY} -m pyflakes ${[targets, ...lintAlso].join(' ')}`,
      ].join('\n'),
      why: 'no ruff or flake8 configuration: pyflakes, the default',
      findings: 'gcc',
    };
  const black = cfg.has('black');
  const ruffFormat = cfg.has('ruff-format');
  if (black)
    tools.format = {
      tool: 'black',
      command: [moduleGuard('black', 'black'), `${PY} -m black --check --diff -q .`].join('\n'),
      why: black,
      findings: 'unified-diff',
    };
  else if (ruffFormat)
    tools.format = {
      tool: 'ruff format',
      command: `${RUFF_GUARD}\nruff format --check --diff .`,
      why: ruffFormat,
      findings: 'unified-diff',
    };
  else
    tools.format = {
      tool: 'none',
      why: 'no black or ruff format configuration',
      notConfigured: 'configure a formatter: [tool.black] or [tool.ruff.format] in pyproject.toml (or its pre-commit hook)',
    };
  return tools;
}
