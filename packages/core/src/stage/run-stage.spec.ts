import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { codeTreeId } from '../code-hash/tree';
import type { Stage } from '../domain/stage';
import { builtinRegistry, type BuiltinStageHandler } from './builtin-stage';
import { exitCodeFor, runStage } from './run-stage';
import type { StageInvocation } from './invocation';

const stage = (s: Partial<Stage>): Stage => ({
  name: 'unit-test',
  description: '',
  command: 'true',
  timeout_seconds: 30,
  required_success: true,
  needs: [],
  ...s,
});

describe('runStage', () => {
  let root: string;
  let out: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'factory-stage-'));
    mkdirSync(path.join(root, 'code'));
    out = '';
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const run = (
    s: Partial<Stage>,
    spec: Partial<StageInvocation> = {},
    redact?: (t: string) => string,
    builtins?: Record<string, BuiltinStageHandler>,
  ) =>
    runStage(
      { slug: 'bd-1', stage: stage(s), working_directory: 'code', required_test_coverage: 0, ...spec },
      { root, codeRoot: root, out: (t) => (out += t), redact, builtins: builtins && builtinRegistry(builtins) },
    );
  const resultFile = (name = 'unit-test') => JSON.parse(readFileSync(path.join(root, `.factory/bd-1/results/stage-${name}.json`), 'utf8'));

  it('records a passing stage: result JSON, full log, summary, exit code 0', async () => {
    const r = await run({ command: 'echo "compiling"; echo "Tests: 3 passed, 3 total"' });
    expect(r).toMatchObject({ status: 'success', exit_code: 0, advisory: false, timed_out: false });
    expect(resultFile()).toEqual(r);
    expect(readFileSync(path.join(root, r.log_file), 'utf8')).toBe('compiling\nTests: 3 passed, 3 total\n');
    expect(out).toContain('factory › bd-1 › unit-test passed');
    expect(exitCodeFor(r)).toBe(0);
  });

  it("shows a command of several lines by the part that runs the stage's tool; the result keeps all of it", async () => {
    const command = 'if ! command -v sh >/dev/null; then echo "install sh"; exit 127; fi\nsh -c "echo 3 passed"';
    const r = await run({ name: 'lint', command, tool: 'sh' } as Partial<Stage>);
    expect(out).toContain('factory › bd-1 › lint: sh -c "echo 3 passed" …  (in code)\n');
    expect(r.command).toBe(command);
  });

  it('says a stage whose configured tool is missing failed without starting (it was no killed process)', async () => {
    const r = await run({
      name: 'format',
      unavailable: { kind: 'missing', message: 'Prettier is configured but not installed: npm install -D prettier' },
    } as Partial<Stage>);
    expect(r).toMatchObject({ status: 'failure', summary: expect.stringMatching(/^missing tool: Prettier is configured/) });
    expect(out).toContain('factory › bd-1 › format FAILED (not started) in 0.0s');
  });

  it('records the test counts as metrics, and fails a test stage that ran no test unless the contract allows it', async () => {
    const passing = await run({ command: "printf '=== RUN   TestA\\n--- PASS: TestA (0.00s)\\nok  \\texample.com/x\\t0.01s\\n'" });
    expect(passing.metrics).toMatchObject({ tests_passed: 1, tests_failed: 0 });
    const none = await run({ command: "printf '?   \\texample.com/x\\t[no test files]\\n'" });
    expect(none).toMatchObject({
      status: 'failure',
      summary: expect.stringMatching(/^no tests ran .*allow_no_tests: true on stage unit-test/),
    });
    expect(out).toContain('unit-test FAILED');
    const allowed = await run({ command: "printf '?   \\texample.com/x\\t[no test files]\\n'", allow_no_tests: true });
    expect(allowed.status).toBe('success');
    // Only test stages: a lint stage printing nothing about tests is judged by its exit code.
    expect((await run({ name: 'lint', command: 'true' })).status).toBe('success');
  });

  it("runs as in CI, tools without colour and tests with no colour variable, unless the stage's env says otherwise (kcd-scripts watched without CI; kleur and commander test colours)", async () => {
    const show = 'echo "[$CI|${NO_COLOR-unset}|${FORCE_COLOR-unset}]"';
    const logOf = (name = 'unit-test') => readFileSync(path.join(root, resultFile(name).log_file), 'utf8');
    process.env.FORCE_COLOR = 'true'; // what Nx gives every task
    process.env.NO_COLOR = '1'; // a developer's shell
    try {
      await run({ command: show });
      expect(logOf()).toBe('[true|unset|unset]\n');
      await run({ name: 'lint', command: show } as Partial<Stage>);
      expect(logOf('lint')).toBe('[true|1|0]\n');
      await run({ command: show, env: { CI: 'false', NO_COLOR: '', FORCE_COLOR: '1' } });
      expect(logOf()).toBe('[false||1]\n');
    } finally {
      delete process.env.FORCE_COLOR;
      delete process.env.NO_COLOR;
    }
  });

  it("says a jest or vitest run stopped before its summary when it printed none (commander's tests exit on jest's own arguments)", async () => {
    const early = 'echo "error: unknown option \'--ci\'" >&2; exit 1';
    const r = await run({ command: early, tool: 'jest' });
    expect(r.summary).toBe("jest stopped before its summary, so no test was counted: error: unknown option '--ci'");
    // A run that reached its summary keeps the runner's counts; another runner keeps its cause.
    expect((await run({ command: "echo 'Tests:       1 failed, 2 passed, 3 total'; exit 1", tool: 'jest' })).summary).not.toContain(
      'stopped',
    );
    expect((await run({ command: early, tool: 'go test' })).summary).toBe("error: unknown option '--ci'");
  });

  it('runs in the working directory with FACTORY_* variables and a scratch FACTORY_TMP that is removed', async () => {
    const r = await run({ command: 'pwd; echo "$FACTORY_SLUG $FACTORY_STAGE"; echo "$FACTORY_TMP" ; test -d "$FACTORY_TMP"' });
    const lines = readFileSync(path.join(root, r.log_file), 'utf8').trim().split('\n');
    expect(lines[0]).toBe(path.join(root, 'code'));
    expect(lines[1]).toBe('bd-1 unit-test');
    expect(existsSync(lines[2])).toBe(false);
    expect(r.status).toBe('success');
  });

  it('prints the root cause of a failure and fails the target', async () => {
    const r = await run({ command: "printf 'src/a.ts(3,7): error TS2322: Type string is not assignable to type number.\\n'; exit 2" });
    expect(r).toMatchObject({
      status: 'failure',
      exit_code: 2,
      summary: 'src/a.ts(3,7): error TS2322: Type string is not assignable to type number.',
    });
    expect(out).toContain('unit-test FAILED (exit 2)');
    expect(out).toContain('full log: .factory/bd-1/results/stage-unit-test.log');
    expect(exitCodeFor(r)).toBe(1);
  });

  it('records an advisory failure without failing the target', async () => {
    const r = await run({ command: 'exit 1', required_success: false });
    expect(r).toMatchObject({ status: 'failure', advisory: true });
    expect(exitCodeFor(r)).toBe(0);
    expect(out).toContain('advisory');
  });

  it('says timeout when the stage runs too long', async () => {
    const r = await run({ command: 'sleep 20', timeout_seconds: 1 });
    expect(r).toMatchObject({
      status: 'failure',
      timed_out: true,
      exit_code: null,
      summary: expect.stringMatching(/^timed out after 1s; every process it started was killed: ended pid \d+ \(sleep 20\)$/),
    });
  });

  describe('coverage gate', () => {
    const cov = { name: 'coverage', coverage: { parser: 'istanbul-text' as const, gate: true } };
    it('passes at or above the floor and records the figure', async () => {
      const r = await run({ ...cov, command: "echo 'Lines        : 85% ( 17/20 )'" }, { required_test_coverage: 80 });
      expect(r).toMatchObject({ status: 'success', metrics: { coverage_percent: 85 } });
      expect(out).toContain('(coverage 85%)');
    });
    it("names the figure read when the run ends on a coverage table's total row (llvm-cov's regions, functions, lines)", async () => {
      // The closing lines of cargo test under -C instrument-coverage and llvm-cov report (toolchain-output/rust/coverage.out).
      const report = [
        'test result: ok. 76 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s',
        'Filename     Regions    Missed Regions     Cover   Functions  Missed Functions  Executed       Lines      Missed Lines     Cover',
        'TOTAL           2687               171    93.64%         199                24    87.94%        1414               115    91.87%',
      ].join('\n');
      const r = await run({ name: 'unit-test', coverage: { parser: 'llvm-cov', gate: false }, command: `printf '%s\\n' '${report}'` });
      expect(r).toMatchObject({ status: 'success', summary: '76 passed; coverage 91.87%', metrics: { coverage_percent: 91.87 } });
    });
    it('fails under the floor, saying both numbers', async () => {
      const r = await run({ ...cov, command: "echo 'Lines        : 72.5% ( 29/40 )'" }, { required_test_coverage: 80 });
      expect(r).toMatchObject({ status: 'failure', summary: "coverage 72.5% is under the contract's required_test_coverage of 80%" });
      expect(exitCodeFor(r)).toBe(1);
    });
    it('reads the figure from the report_file the contract names, with its parser', async () => {
      const json = '{"total":{"lines":{"total":40,"covered":26,"skipped":0,"pct":65}}}';
      const r = await run(
        {
          ...cov,
          coverage: { parser: 'istanbul-json', report_file: '$FACTORY_TMP/summary.json', gate: true },
          command: `echo '${json}' > "$FACTORY_TMP/summary.json"; echo done`,
        },
        { required_test_coverage: 80 },
      );
      expect(r).toMatchObject({
        status: 'failure',
        summary: "coverage 65% is under the contract's required_test_coverage of 80%",
        metrics: { coverage_percent: 65 },
      });
    });

    it('reads a report_file relative to the working directory', async () => {
      const r = await run(
        {
          ...cov,
          coverage: { parser: 'coverage-py', report_file: 'cov.txt', gate: true },
          command: "printf 'TOTAL     20     2    90%%\n' > cov.txt",
        },
        { required_test_coverage: 80 },
      );
      expect(r).toMatchObject({ status: 'success', metrics: { coverage_percent: 90 } });
    });

    it('fails naming the report_file when the command does not write it', async () => {
      const r = await run(
        { ...cov, coverage: { parser: 'istanbul-json', report_file: 'missing.json', gate: true }, command: 'true' },
        { required_test_coverage: 50 },
      );
      expect(r.summary).toBe('could not read the coverage report_file "missing.json": it does not exist; the command must write it');
    });

    it('refuses a report_file reached through a symlink out of the repository, naming the link', async () => {
      const outside = mkdtempSync(path.join(tmpdir(), 'factory-outside-'));
      try {
        writeFileSync(path.join(outside, 'cov.txt'), 'TOTAL     20     2    90%\n');
        symlinkSync(outside, path.join(root, 'code', 'reports'));
        const r = await run(
          { ...cov, coverage: { parser: 'coverage-py', report_file: 'reports/cov.txt', gate: true }, command: 'true' },
          { required_test_coverage: 80 },
        );
        expect(r.status).toBe('failure');
        expect(r.summary).toBe(
          `could not read the coverage report_file "reports/cov.txt": report_file: expected a path inside the repository, got "reports/cov.txt", which leads out of it through the symlink reports → ${outside}; the command must write it`,
        );
      } finally {
        rmSync(outside, { recursive: true, force: true });
      }
    });

    it('fails when no figure can be read and a floor is set', async () => {
      const r = await run({ ...cov, command: 'echo nothing' }, { required_test_coverage: 50 });
      expect(r.summary).toContain('could not read a coverage figure');
    });
  });

  it('masks secrets in the terminal, the log and the result', async () => {
    const redact = (t: string) => t.replace(/SECRET-[0-9]+/g, '[masked]');
    const r = await run({ command: 'echo token SECRET-12345; echo error: bad SECRET-999; exit 1' }, {}, redact);
    const log = readFileSync(path.join(root, r.log_file), 'utf8');
    expect(`${log}${out}${JSON.stringify(r)}`).not.toMatch(/SECRET-\d/);
    expect(log).toContain('token [masked]');
  });

  it('records the tree id of the judged code that the runner gives', async () => {
    const r = await runStage(
      { slug: 'bd-1', stage: stage({}), working_directory: 'code', required_test_coverage: 0 },
      { root, codeRoot: root, out: () => undefined, codeTree: async () => 'tree-1' },
    );
    expect(r.code_tree).toBe('tree-1');
  });

  it('warns when a test command changes the code it judged, naming the files (markdown-table: npm test runs prettier --write)', async () => {
    execFileSync('git', ['init', '-q'], { cwd: root });
    mkdirSync(path.join(root, 'code'), { recursive: true });
    writeFileSync(path.join(root, 'code/index.js'), 'const a   =   1;\n');
    execFileSync('git', ['-c', 'user.email=d@x', '-c', 'user.name=d', 'add', '-A'], { cwd: root });
    const trees = { codeTree: () => codeTreeId(root), codeTreeNow: () => codeTreeId(root) };
    const ctx = { root, codeRoot: root, out: (t: string) => (out += t), ...trees };
    const inv = (s: Partial<Stage>) => ({ slug: 'bd-1', stage: stage(s), working_directory: 'code', required_test_coverage: 0 });
    // The command waits first: the runner takes the tree the stage judges while the command starts.
    const r = await runStage(inv({ command: "sleep 0.5; printf 'const a = 1;\\n' > index.js; echo 'Tests: 3 passed, 3 total'" }), ctx);
    expect(r.status).toBe('success');
    expect(r.warnings).toEqual([
      expect.stringMatching(/^the command changed the code it judged \(code\/index\.js\): this result is of the code before/),
    ]);
    expect(out).toContain('warning: the command changed the code it judged (code/index.js)');
    // A test command that leaves the code as it found it: no warning.
    const clean = await runStage(inv({ command: "echo 'Tests: 3 passed, 3 total'" }), ctx);
    expect(clean.warnings).toBeUndefined();
  });

  it('removes a stale result before running, so a killed run leaves none', async () => {
    await run({ command: 'true' });
    const p = run({ command: 'sleep 5', timeout_seconds: 1 });
    await new Promise((r) => setTimeout(r, 200));
    expect(existsSync(path.join(root, '.factory/bd-1/results/stage-unit-test.json'))).toBe(false);
    await p;
  });

  describe('built-in stages', () => {
    const builtin = (s: Partial<Stage> = {}): Partial<Stage> => ({
      name: 'contract',
      builtin: 'contract',
      command: '(built in: contract)',
      ...s,
    });

    it('calls the registered handler instead of a shell, and records its findings and metrics', async () => {
      let seen: { root: string; cwd: string; slug: string } | undefined;
      const contract: BuiltinStageHandler = async (r) => {
        seen = { root: r.root, cwd: r.cwd, slug: r.invocation.slug };
        r.log('checked 2 files\na.ts: allowed_files: matches none\n');
        return {
          ok: false,
          summary: 'a.ts: allowed_files: matches none',
          metrics: { files_changed: 2 },
          findings: [{ rule: 'allowed_files', file: 'a.ts', message: 'a.ts: allowed_files: matches none' }],
          warnings: ['careful'],
        };
      };
      const r = await run(builtin(), {}, undefined, { contract });
      expect(seen).toEqual({ root, cwd: path.join(root, 'code'), slug: 'bd-1' });
      expect(r).toMatchObject({
        status: 'failure',
        exit_code: 1,
        command: '(built in: contract)',
        summary: 'a.ts: allowed_files: matches none',
        metrics: { files_changed: 2 },
        findings: [{ rule: 'allowed_files', file: 'a.ts' }],
        warnings: ['careful'],
      });
      expect(resultFile('contract')).toEqual(r);
      expect(readFileSync(path.join(root, r.log_file), 'utf8')).toBe('checked 2 files\na.ts: allowed_files: matches none\n');
      expect(out).toContain('factory › bd-1 › contract FAILED (exit 1)');
      expect(exitCodeFor(r)).toBe(1);
    });

    it('passes with exit code 0 when the handler says ok', async () => {
      const r = await run(builtin(), {}, undefined, { contract: async () => ({ ok: true, summary: 'the contract holds' }) });
      expect(r).toMatchObject({ status: 'success', exit_code: 0, summary: 'the contract holds' });
      expect(out).toContain('contract passed');
    });

    it('obeys required_success: an advisory built-in failure does not fail the target', async () => {
      const r = await run(builtin({ required_success: false }), {}, undefined, { contract: async () => ({ ok: false, summary: 'no' }) });
      expect(r).toMatchObject({ status: 'failure', advisory: true });
      expect(exitCodeFor(r)).toBe(0);
    });

    it('fails with the message of a handler that throws', async () => {
      const r = await run(builtin(), {}, undefined, {
        contract: async () => {
          throw new Error('.factory/bd-1/task.yaml: base_commit: expected a commit that exists, got "abc1234"');
        },
      });
      expect(r).toMatchObject({
        status: 'failure',
        summary: '.factory/bd-1/task.yaml: base_commit: expected a commit that exists, got "abc1234"',
      });
    });

    it('fails saying so when no handler is registered under the name', async () => {
      const r = await run(builtin(), {}, undefined, {});
      expect(r.summary).toMatch(/^no built-in stage "contract" is available to this stage runner/);
      const none = await run(builtin());
      expect(none.status).toBe('failure');
    });

    it('fails saying so when the built-in stages cannot be loaded', async () => {
      const r = await runStage(
        { slug: 'bd-1', stage: stage(builtin()), working_directory: 'code', required_test_coverage: 0 },
        {
          root,
          codeRoot: root,
          out: () => undefined,
          builtins: async () => Promise.reject(new Error('Cannot find module stage-builtins.cjs')),
        },
      );
      expect(r.summary).toBe('could not load the built-in stages: Cannot find module stage-builtins.cjs; reinstall the factory package');
    });

    it('times out a handler that runs too long, aborting its signal', async () => {
      let aborted = false;
      const slow: BuiltinStageHandler = (r) =>
        new Promise((resolve) => {
          r.signal.addEventListener('abort', () => {
            aborted = true;
            resolve({ ok: true, summary: 'late' });
          });
        });
      const r = await run(builtin({ timeout_seconds: 1 }), {}, undefined, { contract: slow });
      expect(r).toMatchObject({ status: 'failure', timed_out: true, exit_code: null, summary: 'timed out after 1s' });
      expect(aborted).toBe(true);
    });

    it('masks secrets in what a handler logs and reports', async () => {
      const redact = (t: string) => t.replace(/SECRET-[0-9]+/g, '[masked]');
      const leaky: BuiltinStageHandler = async (r) => {
        r.log('found SECRET-123\n');
        return { ok: false, summary: 'SECRET-123', findings: [{ rule: 'x', message: 'SECRET-123' }], warnings: ['SECRET-9'] };
      };
      const r = await run(builtin(), {}, redact, { contract: leaky });
      const log = readFileSync(path.join(root, r.log_file), 'utf8');
      expect(`${log}${out}${JSON.stringify(r)}`).not.toMatch(/SECRET-\d/);
    });
  });

  it('refuses a working directory outside the code root', async () => {
    await expect(run({ command: 'true' }, { working_directory: '../..' })).rejects.toThrow(/inside/);
  });

  it('fails, running nothing, in a working directory that is a symlink out of the repository, naming the link and its target', async () => {
    symlinkSync(tmpdir(), path.join(root, 'away'));
    const r = await run({ command: 'touch ran' }, { working_directory: 'away' });
    expect(r).toMatchObject({ status: 'failure', exit_code: null });
    expect(r.summary).toBe(
      `.factory/bd-1/contract.yaml: working_directory: expected a directory inside the repository, got "away", which leads out of it through the symlink away → ${tmpdir()}`,
    );
    expect(existsSync(path.join(tmpdir(), 'ran'))).toBe(false);
  });

  it('fails, naming the field, in a working directory that does not exist or is a file', async () => {
    expect((await run({ command: 'true' }, { working_directory: 'nope' })).summary).toBe(
      `.factory/bd-1/contract.yaml: working_directory: expected an existing directory, got "nope" (it does not exist in ${root})`,
    );
    writeFileSync(path.join(root, 'file'), '');
    expect((await run({ command: 'true' }, { working_directory: 'file' })).summary).toBe(
      '.factory/bd-1/contract.yaml: working_directory: expected a directory, got "file", a file',
    );
  });
});
