import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { removeTempDirs, tempRepo } from '../repo/__fixtures__/temp-repo';
import type { Stage } from '../domain/stage';
import { runStage } from './run-stage';
import { missingCommand, noSuchCommand, testTimeout } from './command-stage';
import { detectProject } from '../detect/index';
import { standardPipeline } from '../pipeline/standard';

afterEach(removeTempDirs);

/** A repository whose base commit holds `base`, with `change` written over it since; task bd-1's base is that commit. */
function repoWithChange(base: Record<string, string>, change: Record<string, string>) {
  const repo = tempRepo();
  for (const [file, text] of Object.entries(base)) repo.write(file, text);
  const sha = repo.commitAll('base');
  repo.write('.factory/bd-1/task.yaml', `slug: bd-1\ntitle: t\nbase_commit: ${sha}\n`);
  for (const [file, text] of Object.entries(change)) repo.write(file, text);
  return repo;
}

/** A change to line 3 of src/a.py; src/b.py has an unused import from before. */
const changedRepo = () =>
  repoWithChange(
    { 'src/a.py': 'import os\nimport sys\nx = 1\n', 'src/b.py': 'import json\n' },
    { 'src/a.py': 'import os\nimport sys\nimport re\n' },
  );

const lint = (command: string, extra: Partial<Stage> = {}): Stage => ({
  name: 'lint',
  description: 'lint',
  command,
  timeout_seconds: 30,
  required_success: true,
  needs: [],
  findings: 'gcc',
  scope: 'change',
  ...extra,
});

const run = (root: string, stage: Stage) =>
  runStage({ slug: 'bd-1', stage, working_directory: '.', required_test_coverage: 0 }, { root, codeRoot: root, out: () => undefined });

describe('lint and format judge the change', () => {
  const output = "printf 'src/a.py:3:1: %s\\nsrc/b.py:1:1: %s\\n' \"'re' imported but unused\" \"'json' imported but unused\"; exit 1";

  it('fails on a finding in a changed line, naming the file and line; counts the one already there', async () => {
    const repo = changedRepo();
    let printed = '';
    const r = await runStage(
      { slug: 'bd-1', stage: lint(output.replace('exit 1', 'exit 0')), working_directory: '.', required_test_coverage: 0 },
      { root: repo.dir, codeRoot: repo.dir, out: (t) => (printed += t) },
    );
    // The verdict is the findings', not the exit status's (gofmt -d exits 0): the console says so.
    expect(printed).toContain('lint FAILED (1 finding in the change)');
    expect(r.status).toBe('failure');
    expect(r.summary).toMatch(/^1 finding in changed lines: src\/a\.py:3.*'re' imported but unused.*\(1 already there, not failing\)/s);
    expect(r.metrics).toMatchObject({ findings_in_change: 1, findings_already_there: 1 });
    expect(r.findings).toEqual([
      expect.objectContaining({ file: 'src/a.py', line: 3 }),
      expect.objectContaining({ file: 'src/b.py', line: 1, preexisting: true }),
    ]);
  });

  it('leaves out findings in files git ignores, which no base has (TanStack/store: a coverage/ report Prettier judged as 135 findings in the change)', async () => {
    const repo = repoWithChange({ '.gitignore': 'coverage/\n', 'src/a.py': 'x = 1\n' }, { 'coverage/index.html': '<p>\n' });
    const r = await run(repo.dir, lint("printf 'coverage/index.html:1:1: would reformat\\n'; exit 1"));
    expect(r).toMatchObject({
      status: 'success',
      summary: 'no findings in changed lines (1 finding in files git ignores not judged)',
      metrics: { findings_in_change: 0, findings_already_there: 0 },
    });
  });

  it("is skipped as not configured when a default tool the project never chose says it is not installed (boltons' pyflakes)", async () => {
    const repo = changedRepo();
    const r = await run(repo.dir, lint("echo 'factory: not configured: pyflakes is not installed for /usr/bin/python3'; exit 0"));
    expect(r).toMatchObject({ status: 'skipped', summary: 'not configured: pyflakes is not installed for /usr/bin/python3' });
    // Only a command that exits 0 says so: a failing one keeps its failure.
    const failing = await run(repo.dir, lint("echo 'factory: not configured: x'; exit 1"));
    expect(failing.status).toBe('failure');
    // Nor one the tool (or a test) prints after it started: only a guard's first line.
    const later = await run(repo.dir, lint("echo 'src/a.py:3:1: unused'; echo 'factory: not configured: x'; exit 0"));
    expect(later.status).toBe('failure');
  });

  it('passes when every finding was already there, though the tool exited 1', async () => {
    const repo = changedRepo();
    const r = await run(repo.dir, lint("printf 'src/b.py:1:1: unused\\n'; exit 1"));
    expect(r).toMatchObject({ status: 'success', summary: expect.stringMatching(/^no findings in changed lines \(1 already there/) });
  });

  it("leaves out findings in Factory's own folder (a tool run at the root walking into the tasks' workspaces), saying how many", async () => {
    const repo = changedRepo();
    const copy = `.factory/workspaces/bd-2/src/a.py`;
    const r = await run(repo.dir, lint(`printf '${copy}:3:1: unused\\n${copy}:1:1: unused\\n'; exit 1`));
    expect(r).toMatchObject({
      status: 'success',
      summary: "no findings in changed lines (2 findings in .factory/ not judged: Factory's own folder)",
      metrics: { findings_in_change: 0, findings_already_there: 0 },
    });
    const mixed = await run(repo.dir, lint(`printf 'src/a.py:3:1: unused\\n${copy}:3:1: unused\\n'; exit 1`));
    expect(mixed.status).toBe('failure');
    expect(mixed.summary).toMatch(/^1 finding in changed lines: src\/a\.py:3 .*\(1 finding in \.factory\/ not judged/);
  });

  it('with scope repository fails on every finding', async () => {
    const repo = changedRepo();
    const r = await run(repo.dir, lint("printf 'src/b.py:1:1: unused\\n'; exit 1", { scope: 'repository' }));
    expect(r.status).toBe('failure');
  });

  it('fails a tool that failed without a finding it could read, with the tool output as the cause', async () => {
    const repo = changedRepo();
    const r = await run(repo.dir, lint("echo 'error: cannot parse config file .eslintrc'; exit 2"));
    expect(r).toMatchObject({ status: 'failure', summary: expect.stringContaining('cannot parse config file') });
    expect(readFileSync(path.join(repo.dir, r.log_file), 'utf8')).toContain('cannot parse config');
  });
});

describe('a stage that times out', () => {
  it("names the test the output shows still running, and gives runners a timeout of their own before the stage's", async () => {
    const repo = changedRepo();
    const r = await run(
      repo.dir,
      lint(
        'echo "=== RUN   TestQuick"; echo "--- PASS: TestQuick (0.00s)"; echo "=== RUN   TestHangs"; echo "go -timeout $FACTORY_TEST_TIMEOUT"; sleep 30',
        {
          name: 'unit-test',
          findings: undefined,
          timeout_seconds: 2,
        },
      ),
    );
    expect(r).toMatchObject({
      status: 'failure',
      timed_out: true,
      summary: expect.stringMatching(/^timed out after 2s \(still running: TestHangs\); every process/),
    });
    expect(readFileSync(path.join(repo.dir, r.log_file), 'utf8')).toContain('go -timeout 1s');
    expect([testTimeout(40), testTimeout(90), testTimeout(900), testTimeout(3)]).toEqual(['35s', '81s', '600s', '1s']);
  });
});

describe("a stage's summary", () => {
  it("names files under the directory the stage ran in by their path from there, not the machine's", async () => {
    const repo = changedRepo();
    const r = await run(
      repo.dir,
      lint(`echo "error: cannot open ${repo.dir}/src/a.py: broken"; exit 3`, { findings: undefined, name: 'implement' }),
    );
    expect(r.summary).toBe('error: cannot open src/a.py: broken');
  });
});

describe('a command the shell cannot find', () => {
  it('fails naming the stage and the contract that holds its command', async () => {
    const repo = changedRepo();
    const r = await run(repo.dir, lint('nonexistent-runner-xyz --check', { findings: undefined, scope: undefined, name: 'unit-test' }));
    expect(r.status).toBe('failure');
    expect(r.summary).toMatch(/nonexistent-runner-xyz.*not found/);
    expect(r.summary).toContain(
      'nonexistent-runner-xyz is not installed where the stage runs (exit 127): install it, or change the command of stage unit-test in .factory/bd-1/contract.yaml',
    );
  });

  it("names a tool the project's own scripts run as the one to install, not the contract's command (magic-string's pretest runs pnpm)", async () => {
    const repo = changedRepo();
    writeFileSync(path.join(repo.dir, 'pretest.sh'), 'echo building\nnonexistent-pnpm-xyz run build\n');
    for (const shell of ['sh', 'bash']) {
      const r = await run(
        repo.dir,
        lint(`${shell} pretest.sh && echo tests`, { findings: undefined, scope: undefined, name: 'unit-test' }),
      );
      expect(r.status).toBe('failure');
      expect(r.summary).toContain(
        "nonexistent-pnpm-xyz is not installed where the stage runs (exit 127), and the stage's command runs it through the project's own scripts: install nonexistent-pnpm-xyz (or the project's dependencies), or give stage unit-test a command in .factory/bd-1/contract.yaml",
      );
    }
  });

  it('reads the missing command from dash, bash and a script, and nothing from other lines', () => {
    expect(missingCommand(['sh: 1: pnpm: not found'])).toBe('pnpm');
    expect(missingCommand(['bash: pnpm: command not found'])).toBe('pnpm');
    expect(missingCommand(['/tmp/s.sh: line 3: tsx: command not found'])).toBe('tsx');
    expect(missingCommand(['./run.sh: 2: vitest: not found'])).toBe('vitest');
    expect(missingCommand(['Error: module not found', 'file: not found: x'])).toBeUndefined();
    expect(noSuchCommand('bd-1', 'lint')).toContain('the shell found no such command (exit 127): check the command of stage lint');
  });

  it("keeps a guard's own words when it already says what to install", async () => {
    const repo = changedRepo();
    const guard = 'echo "error: flake8 is not installed for /usr/bin/python3, which the project configures: pip install flake8"; exit 127';
    const r = await run(repo.dir, lint(guard, { findings: undefined, scope: undefined }));
    expect(r).toMatchObject({
      status: 'failure',
      summary: 'error: flake8 is not installed for /usr/bin/python3, which the project configures: pip install flake8',
    });
  });
});

describe("a stage's scratch directory", () => {
  it('is the same empty path on every run of the stage (tools key their caches on it) and is removed after', async () => {
    const repo = changedRepo();
    const seen: string[] = [];
    const stage = lint('ls -A "$FACTORY_TMP"; touch "$FACTORY_TMP/left-over"; echo "tmp=$FACTORY_TMP"', {
      findings: undefined,
      name: 'probe',
    });
    for (let i = 0; i < 2; i++) {
      let out = '';
      await runStage(
        { slug: 'bd-1', stage, working_directory: '.', required_test_coverage: 0 },
        { root: repo.dir, codeRoot: repo.dir, out: (s) => (out += s) },
      );
      const log = readFileSync(path.join(repo.dir, '.factory/bd-1/results/stage-probe.log'), 'utf8');
      expect(log).not.toContain('left-over');
      seen.push(/tmp=(\S+)/.exec(log)?.[1] ?? `no path in: ${log} ${out}`);
    }
    expect(seen[1]).toBe(seen[0]);
    expect(existsSync(seen[0])).toBe(false);
  });
});

describe('a passing test run says how many tests passed', () => {
  const fixtures = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '__fixtures__', 'toolchain-output');
  const unitTest = (fixture: string): Stage => ({
    name: 'unit-test',
    description: 'tests',
    command: `cat '${path.join(fixtures, fixture)}'`,
    timeout_seconds: 30,
    required_success: true,
    needs: [],
  });

  it.each([
    // vitest with coverage ends on the coverage total; Go's on `go tool cover -func`'s total; ava's on its todo count.
    ['ts/vitest_coverage_pass.out', /^\d+ passed(, \d+ skipped)?; All files \| /],
    ['ts/ava_pass.out', /^4 tests passed$/],
    ['ts/jest_coverage_pass.out', /^8 passed, 1 skipped; All files \| /],
    // tape's closing `# ok` adds nothing to the counts.
    ['ts/tape_pass.out', /^2 passed$/],
    // A runner's own closing line that holds the count stays as it is.
    ['python/test_pass.out', /^=+ \d+ passed/],
  ])('%s', async (fixture, summary) => {
    const repo = tempRepo();
    const r = await run(repo.dir, unitTest(fixture));
    expect(r.status).toBe('success');
    expect(r.summary).toMatch(summary);
  });
});

describe('Python leaves no bytecode in the judged tree', () => {
  it('compiling and importing the code writes its bytecode outside the tree', async () => {
    const repo = tempRepo();
    repo.write('calc/__init__.py', 'def add(a, b):\n    return a + b\n');
    repo.write('test_calc.py', 'from calc import add\nassert add(2, 3) == 5\nprint("1 passed")\n');
    repo.commitAll('base');
    const stage: Stage = {
      name: 'unit-test',
      description: 'tests',
      command: 'python3 -m compileall -q . && python3 test_calc.py',
      timeout_seconds: 60,
      required_success: true,
      needs: [],
    };
    const r = await run(repo.dir, stage);
    expect(r.status).toBe('success');
    expect(existsSync(path.join(repo.dir, 'calc', '__pycache__'))).toBe(false);
    expect(existsSync(path.join(repo.dir, '__pycache__'))).toBe(false);
    // Only the stage's own results (under .factory/, which factory:init's .gitignore covers).
    const untracked = repo.git('status', '--porcelain', '--untracked-files=all').split('\n').filter(Boolean);
    expect(untracked.filter((l) => !l.startsWith('?? .factory/'))).toEqual([]);
    // A whole stage run (git, python3 twice): jest's 5 s ran out on a loaded 2-core machine.
  }, 60_000);
});

describe('a Python project that configures no pytest, run by a Python without pytest', () => {
  it('runs its tests with unittest (hukkin/tomli: src/ layout, unittest only), saying so', async () => {
    const repo = tempRepo();
    repo.write('pyproject.toml', '[project]\nname = "calc"\n');
    repo.write('src/calc/__init__.py', 'def add(a, b):\n    return a + b\n');
    repo.write('tests/__init__.py', '');
    repo.write(
      'tests/test_calc.py',
      'import unittest\nfrom calc import add\n\nclass T(unittest.TestCase):\n    def test_add(self):\n        self.assertEqual(add(2, 3), 5)\n',
    );
    repo.commitAll('base');
    // A virtualenv of the system's Python without pip: no pytest, no coverage.
    const venv = mkdtempSync(path.join(tmpdir(), 'factory-venv-'));
    try {
      execFileSync('/usr/bin/python3', ['-m', 'venv', '--without-pip', venv]);
      const profile = detectProject(repo.dir, { language: 'python', allowed_files: ['**'], file: '.factory/bd-1/contract.yaml' });
      if ('message' in profile) throw new Error(profile.message);
      const tool = profile.tools['unit-test'];
      expect(tool?.tool).toBe('pytest or unittest');
      const stage: Stage = {
        name: 'unit-test',
        description: 'tests',
        command: tool?.command as string,
        timeout_seconds: 60,
        required_success: true,
        needs: [],
      };
      const r = await runStage(
        {
          slug: 'bd-1',
          stage,
          working_directory: '.',
          required_test_coverage: 0,
          env: { PYTHON: path.join(venv, 'bin', 'python') },
        },
        { root: repo.dir, codeRoot: repo.dir, out: () => undefined },
      );
      expect(r).toMatchObject({ status: 'success', metrics: { tests_passed: 1, tests_failed: 0 } });
      expect(readFileSync(path.join(repo.dir, r.log_file), 'utf8')).toContain('the project configures none: the tests run with unittest');
    } finally {
      rmSync(venv, { recursive: true, force: true });
    }
  });
});

describe('a test runner that printed no counts', () => {
  const stage = (extra: Partial<Stage> = {}): Stage => ({
    name: 'unit-test',
    description: 'tests',
    command: 'true',
    timeout_seconds: 30,
    required_success: true,
    needs: [],
    tool: 'tape',
    ...extra,
  });

  it('ran no test: red, saying so (bare tape, given no file, prints nothing and exits 0)', async () => {
    const r = await run(tempRepo().dir, stage());
    expect(r.status).toBe('failure');
    expect(r.summary).toMatch(/^tape printed no test counts, so no test was seen to run; .*allow_no_tests: true on stage unit-test/);
    expect((await run(tempRepo().dir, stage({ tool: 'mocha under c8' }))).status).toBe('failure');
  });

  it('passes where the contract allows no tests, or the command is not a counting runner (a script of its own)', async () => {
    expect((await run(tempRepo().dir, stage({ allow_no_tests: true }))).status).toBe('success');
    expect((await run(tempRepo().dir, stage({ tool: 'npm test' }))).status).toBe('success');
  });
});

describe("Go's test run with coverage", () => {
  it('records no figure when no package built (a vet finding), the figure when one did', async () => {
    const repo = tempRepo();
    repo.write('go.mod', 'module example.com/x\n\ngo 1.19\n');
    repo.write('x.go', 'package x\n\nimport "fmt"\n\nfunc F() string { return fmt.Sprintf("%d", "s") }\n');
    repo.write('x_test.go', 'package x\n\nimport "testing"\n\nfunc TestF(t *testing.T) { _ = F() }\n');
    repo.commitAll('base');
    const profile = detectProject(repo.dir, { language: 'go', allowed_files: ['**'], file: '.factory/bd-1/contract.yaml' });
    if ('message' in profile) throw new Error(profile.message);
    const stage: Stage = {
      name: 'unit-test',
      description: 'tests',
      command: profile.tools['unit-test']?.command as string,
      timeout_seconds: 120,
      required_success: true,
      needs: [],
      coverage: { parser: 'go', gate: false },
    };
    // `go test -coverprofile` leaves a profile of its mode line alone, which `go tool cover` calls 0 %.
    const broken = await run(repo.dir, stage);
    expect(broken.status).toBe('failure');
    expect(broken.metrics.coverage_percent).toBeUndefined();
    repo.write('x.go', 'package x\n\nimport "fmt"\n\nfunc F() string { return fmt.Sprintf("%s", "s") }\n');
    expect((await run(repo.dir, stage)).metrics).toMatchObject({ coverage_percent: 100, tests_passed: 1 });
  }, 120_000);
});

describe('a finding off the changed lines fails when the base commit did not have it', () => {
  /** A python3 that has pyflakes (the first on PATH may not: tools/scripts/install-toolchains.sh installs Debian's). */
  const python = ['python3', '/usr/bin/python3'].find((p) => {
    try {
      execFileSync(p, ['-m', 'pyflakes', '--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
  if (!python) throw new Error('no python3 with pyflakes: run tools/scripts/install-toolchains.sh');
  const pyflakes = (extra: Partial<Stage> = {}) => lint(`${python} -m pyflakes .`, extra);

  /** Base: a.py uses sys, imported; b.py has an unused import. The task removes a.py's import. */
  const repoWithRemovedImport = () =>
    repoWithChange(
      { 'a.py': 'import sys\n\n\ndef main():\n    return sys.argv\n', 'b.py': 'import json\n' },
      { 'a.py': '\n\n\ndef main():\n    return sys.argv\n' },
    );

  it("fails on the undefined name a removed import left on an unchanged line; keeps b.py's unused import as already there", async () => {
    const repo = repoWithRemovedImport();
    const r = await run(repo.dir, pyflakes());
    expect(r.status).toBe('failure');
    expect(r.summary).toMatch(/^1 finding in the change: a\.py:5 undefined name 'sys' \(1 already there, not failing\)$/);
    expect(r.metrics).toMatchObject({ findings_in_change: 1, findings_already_there: 1 });
    expect(r.findings).toEqual([
      expect.objectContaining({ file: 'a.py', line: 5, message: "undefined name 'sys'", rule: python }),
      expect.objectContaining({ file: 'b.py', line: 1, preexisting: true }),
    ]);
    // The repository is as it was: no worktree, the index untouched.
    expect(repo.git('worktree', 'list').trim().split('\n')).toHaveLength(1);
    expect(repo.git('status', '--porcelain', '--', 'a.py', 'b.py').trim()).toBe('M a.py');
  }, 60_000);

  it('passes when the findings off the changed lines were there at the base commit, though lines moved', async () => {
    const repo = repoWithChange({ 'b.py': 'import json\n' }, { 'b.py': 'x = 1\nimport json\n' });
    const r = await run(repo.dir, pyflakes());
    expect(r).toMatchObject({
      status: 'success',
      summary: expect.stringMatching(/^no findings in changed lines \(1 already there: b\.py:2 /),
    });
  }, 60_000);

  it('says so, and keeps them as already there, when the base cannot be linted', async () => {
    const repo = repoWithRemovedImport();
    // A tool that fails with no finding on the base commit (where marker.txt is missing).
    const r = await run(repo.dir, lint(`test -f marker.txt || { echo 'boom: no marker' >&2; exit 2; }; ${python} -m pyflakes .`));
    expect(r.status).toBe('failure');
    repo.write('marker.txt', 'x');
    const again = await run(repo.dir, lint(`test -f marker.txt || { echo 'boom: no marker' >&2; exit 2; }; ${python} -m pyflakes .`));
    expect(again.status).toBe('success');
    expect(again.summary).toMatch(/not compared with the base commit: the tool failed on the base commit: boom: no marker\)$/);
  }, 60_000);
});

describe('the base commit written out for its lint findings', () => {
  it('never writes through a folder the base commit made a link out of the tree', async () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'factory-outside-'));
    try {
      const repo = tempRepo();
      repo.write('b.py', 'import json\n');
      symlinkSync(outside, path.join(repo.dir, 'a'));
      const base = repo.commitAll('base');
      repo.write('.factory/bd-1/task.yaml', `slug: bd-1\ntitle: t\nbase_commit: ${base}\n`);
      rmSync(path.join(repo.dir, 'a'));
      mkdirSync(path.join(repo.dir, 'a', 'node_modules'), { recursive: true });
      repo.write('a/c.py', 'x = 1\n');
      // A finding in b.py, unchanged: compared with the base, where `a` (the tool's folder) is a link out.
      const r = await runStage(
        { slug: 'bd-1', stage: lint("printf '../b.py:1:1: unused\\n'; exit 1"), working_directory: 'a', required_test_coverage: 0 },
        { root: repo.dir, codeRoot: repo.dir, out: () => undefined },
      );
      expect(r.summary).toMatch(/not compared with the base commit: a is not a folder of the base commit\)$/);
      expect(readdirSync(outside)).toEqual([]);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe('TypeScript kept compiled beside its sources', () => {
  // The repository's own TypeScript, installed in each test project as a user's would be.
  const tsc = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..', '..', 'node_modules', '.bin', 'tsc');
  // Each test runs tsc three times (setup, base, change): minutes, on a loaded machine.
  const QUEUE_TS = 'export const first = (xs: number[]) => xs[0];\n';

  /** A project whose tsconfig compiles in place, with src/queue.js committed beside src/queue.ts (tsc's own output, or `staleJs`). */
  function project(staleJs?: string) {
    const repo = tempRepo();
    repo.write('.gitignore', 'node_modules\n');
    repo.write('package.json', JSON.stringify({ scripts: { build: 'tsc', test: 'node --test' } }));
    repo.write('tsconfig.json', '{ "compilerOptions": { "target": "es2020", "module": "commonjs" } }');
    repo.write('src/queue.ts', QUEUE_TS);
    mkdirSync(path.join(repo.dir, 'node_modules', '.bin'), { recursive: true });
    symlinkSync(tsc, path.join(repo.dir, 'node_modules', '.bin', 'tsc'));
    execFileSync(tsc, ['-p', '.'], { cwd: repo.dir });
    if (staleJs !== undefined) repo.write('src/queue.js', staleJs);
    const base = repo.commitAll('base');
    repo.write('.factory/bd-1/task.yaml', `slug: bd-1\ntitle: t\nbase_commit: ${base}\n`);
    const detected = detectProject(repo.dir, { language: 'typescript', allowed_files: ['**'], file: '.factory/bd-1/contract.yaml' });
    if ('message' in detected) throw new Error(detected.message);
    const t = detected.tools.implement;
    if (!t?.command || !t.findings) throw new Error(`not the compiled-beside check: ${JSON.stringify(t)}`);
    const stage: Stage = { ...lint(t.command), name: 'implement', findings: t.findings, tool: t.tool, timeout_seconds: 120 };
    return { repo, stage };
  }

  it('passes while the kept .js is what tsc makes of its source', async () => {
    const { repo, stage } = project();
    repo.write('src/other.ts', 'export const two = 2;\n');
    const r = await run(repo.dir, stage);
    expect(r).toMatchObject({ status: 'success', summary: 'no findings in changed lines' });
  }, 180_000);

  it('fails when the change edits a .ts and keeps its old .js, naming the .js', async () => {
    const { repo, stage } = project();
    repo.write('src/queue.ts', 'export const first = (xs: number[]) => xs[1];\n');
    const r = await run(repo.dir, stage);
    expect(r.status).toBe('failure');
    expect(r.summary).toMatch(
      /^1 finding in the change: src\/queue\.js:1 not what tsc makes of its source now \(tsc's output [a-j]+\): rebuild it/,
    );
  }, 180_000);

  it('counts output that was stale at the base commit (built by another tsc) as already there, until the change edits its source', async () => {
    const { repo, stage } = project('"use strict";\nexports.first = function (xs) { return xs[0]; };\n');
    repo.write('src/other.ts', 'export const two = 2;\n');
    const untouched = await run(repo.dir, stage);
    expect(untouched).toMatchObject({
      status: 'success',
      summary: expect.stringMatching(/^no findings in changed lines \(1 already there: src\/queue\.js:1 /),
    });
    repo.write('src/queue.ts', 'export const first = (xs: number[]) => xs[1];\n');
    const edited = await run(repo.dir, stage);
    expect(edited).toMatchObject({ status: 'failure', summary: expect.stringMatching(/^1 finding in the change: src\/queue\.js:1 /) });
  }, 180_000);

  it('fails on a type error, wherever it is, showing it', async () => {
    const { repo, stage } = project();
    repo.write('src/other.ts', 'export const two: string = 2;\n');
    const r = await run(repo.dir, stage);
    expect(r.status).toBe('failure');
    expect(r.summary).toMatch(/tsc: src\/other\.ts\(1,14\): error TS2322/);
  }, 180_000);
});

describe('a crash on a Node the project or its packages do not support', () => {
  it('says which package asks for which Node after the cause; says nothing when a test failed', async () => {
    const repo = changedRepo();
    const pkg = path.join(repo.dir, 'node_modules', 'newer-plugin');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'newer-plugin', engines: { node: '>=99' } }));
    writeFileSync(path.join(pkg, 'index.js'), 'throw new TypeError("roleStyles.keys(...).map is not a function");\n');
    const crash = await run(repo.dir, lint(`node -e 'require("newer-plugin")'`, { findings: undefined, scope: undefined }));
    expect(crash.status).toBe('failure');
    expect(crash.summary.split('\n')[0]).toBe(
      `TypeError: roleStyles.keys(...).map is not a function (newer-plugin asks for Node >=99; this is Node ${process.version})`,
    );
    const tests = await run(
      repo.dir,
      lint(`node -e 'require("newer-plugin")' 2>/dev/null; echo "--- FAIL: TestA (0.00s)"; echo "FAIL"; exit 1`, {
        findings: undefined,
        scope: undefined,
        name: 'unit-test',
      }),
    );
    expect(tests.summary).not.toContain('asks for Node');
  });
});

describe('a change in a directory the stage does not reach', () => {
  it("fails Go's build, tests and vet when the change is in a nested module ./... stops at (golang-lru's arc), and passes a change beside it", async () => {
    const base = {
      'lib/go.mod': 'module example.com/lru\n\ngo 1.19\n',
      'lib/lru.go': 'package lru\n\nfunc Len() int { return 1 }\n',
      'lib/lru_test.go': 'package lru\n\nimport "testing"\n\nfunc TestLen(t *testing.T) {\n\tif Len() != 1 {\n\t\tt.Fatal("len")\n\t}\n}\n',
      'lib/arc/go.mod': 'module example.com/lru/arc\n\ngo 1.19\n',
      'lib/arc/arc.go': 'package arc\n\nfunc ARC() int { return 2 }\n',
    };
    const repo = repoWithChange(base, {
      'lib/arc/arc_test.go': 'package arc\n\nimport "testing"\n\nfunc TestARC(t *testing.T) { t.Fatal("planted") }\n',
    });
    const profile = detectProject(path.join(repo.dir, 'lib'), {
      language: 'go',
      allowed_files: ['lib/**'],
      file: '.factory/bd-1/contract.yaml',
    });
    if ('message' in profile) throw new Error(profile.message);
    const stages = standardPipeline(profile).filter((s) => ['implement', 'unit-test', 'lint'].includes(s.name));
    expect(stages.map((s) => [s.name, s.not_judged?.paths])).toEqual([
      ['implement', ['arc']],
      ['unit-test', ['arc']],
      ['lint', ['arc']],
    ]);
    const inLib = (stage: Stage) =>
      runStage(
        { slug: 'bd-1', stage, working_directory: 'lib', required_test_coverage: 0 },
        { root: repo.dir, codeRoot: repo.dir, out: () => undefined },
      );
    for (const stage of stages) {
      const r = await inLib(stage);
      expect([stage.name, r.status]).toEqual([stage.name, 'failure']);
      expect(r.summary).toMatch(
        /^1 changed file in lib\/arc not judged by this stage \(lib\/arc\/arc_test\.go\): a module of its own \(its go\.mod\) that no go\.work here uses/,
      );
    }
    // The same stages pass a change outside the nested module.
    rmSync(path.join(repo.dir, 'lib/arc/arc_test.go'));
    repo.write('lib/lru.go', 'package lru\n\n// Len is one.\nfunc Len() int { return 1 }\n');
    for (const stage of stages) expect([stage.name, (await inLib(stage)).status]).toEqual([stage.name, 'success']);
  }, 180_000);
});
