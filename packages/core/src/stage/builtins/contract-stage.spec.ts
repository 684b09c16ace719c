import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { lines, removeTempDirs, tempDir } from '../../repo/__fixtures__/temp-repo';
import { loadContract, type LoadedContract } from '../../store/load';
import { SLUG, taskRepo } from './__fixtures__/task-repo';

afterEach(removeTempDirs);

describe('contract stage', () => {
  it('passes a change inside allowed_files and the budget, with the metrics', async () => {
    const repo = taskRepo();
    repo.write('src/app.ts', 'export const app = 2;\nexport const b = 3;\n');
    repo.commitAll('work');
    repo.write('src/new.ts', 'export const n = 1;\n');
    const { result, log } = await repo.stage('contract');
    expect(result).toMatchObject({
      status: 'success',
      exit_code: 0,
      summary: 'the contract holds: 2 files changed, 4 of 20 lines, no new dependencies',
      metrics: {
        files_changed: 2,
        lines_added: 3,
        lines_removed: 1,
        lines_counted: 4,
        lines_excluded: 0,
        max_lines_changed: 20,
        violations: 0,
      },
      findings: [],
    });
    expect(log).toContain(`changes since ${repo.base.slice(0, 12)} (.factory/${SLUG}/task.yaml base_commit)`);
  });

  it('names a forbidden file and its glob, also when it is untracked', async () => {
    const repo = taskRepo();
    repo.write('src/secret-config.ts', 'export const x = 1;\n');
    const { result, out } = await repo.stage('contract');
    expect(result.status).toBe('failure');
    expect(result.summary).toBe('src/secret-config.ts: forbidden_files: matches forbidden glob "src/secret*"');
    expect(result.findings).toEqual([{ rule: 'forbidden_files', file: 'src/secret-config.ts', message: result.summary }]);
    expect(out).toContain('contract FAILED (exit 1)');
  });

  it('refuses an allowed file that is a symlink out of the repository, naming the link and its target', async () => {
    const repo = taskRepo();
    fs.symlinkSync('/etc/passwd', path.join(repo.dir, 'src/passwd.ts'));
    fs.symlinkSync('app.ts', path.join(repo.dir, 'src/alias.ts'));
    const { result } = await repo.stage('contract');
    expect(result.status).toBe('failure');
    expect(result.summary).toBe(
      'src/passwd.ts: allowed_files: expected a file inside the repository, found a symlink leading out of it (src/passwd.ts → /etc/passwd)',
    );
    // A link inside the repository is a file like any other.
    expect(result.findings).toHaveLength(1);
  });

  it('names a committed file outside allowed_files, and counts every violation', async () => {
    const repo = taskRepo();
    repo.write('docs/readme.md', 'hello\n');
    repo.write('lib/x.ts', 'x\n');
    repo.commitAll('outside');
    const { result, log } = await repo.stage('contract');
    expect(result.summary).toMatch(
      /^docs\/readme\.md: allowed_files: matches none of the allowed globs "src\/\*\*", .* \(and 1 more violation; see the log\)$/,
    );
    expect(result.findings?.map((f) => f.file)).toEqual(['docs/readme.md', 'lib/x.ts']);
    expect(log).toContain('lib/x.ts: allowed_files:');
  });

  it('refuses a test the change switches off, naming the file, the line and the switch, and lets an allowed one through', async () => {
    const repo = taskRepo();
    repo.write('src/sum.test.ts', "it('adds', () => {});\nit.skip('subtracts', () => {});\n");
    repo.write('src/slow.test.ts', "it.skip('needs a server', () => {}); // factory:allow-skip\n");
    repo.commitAll('skip');
    repo.write('src/sum_test.go', 'package src\n\nfunc TestSum(t *testing.T) {\n\tt.Skip("later")\n}\n');
    const { result } = await repo.stage('contract');
    expect(result.status).toBe('failure');
    expect(result.summary).toBe(
      'src/sum.test.ts:2: tests_disabled: the change switches a test off (it.skip), and a test that does not run proves nothing; remove it, or put factory:allow-skip in a comment on the line if the test is meant to be off (and 1 more violation; see the log)',
    );
    expect(result.findings?.map((f) => [f.rule, f.file, f.line])).toEqual([
      ['tests_disabled', 'src/sum.test.ts', 2],
      ['tests_disabled', 'src/sum_test.go', 4],
    ]);
  });

  it('never counts a lockfile-only change against the line budget', async () => {
    const repo = taskRepo();
    repo.write('package-lock.json', lines(5000));
    repo.write('go.sum', lines(300));
    repo.write('Cargo.lock', lines(300));
    const { result } = await repo.stage('contract');
    expect(result).toMatchObject({ status: 'success', metrics: { lines_counted: 0, lines_excluded: 5600 } });
  });

  it('counts real lines, naming the limit, the count and the largest files', async () => {
    const repo = taskRepo();
    repo.write('package-lock.json', lines(5000));
    repo.write('src/big.ts', lines(25));
    const { result } = await repo.stage('contract');
    expect(result.summary).toBe('max_lines_changed: 25 lines changed, more than the limit of 20; largest: src/big.ts (25)');
    expect(result.findings).toEqual([{ rule: 'max_lines_changed', message: result.summary }]);
  });

  it('does not count the task files under .factory/', async () => {
    const repo = taskRepo();
    repo.write(`.factory/${SLUG}/spec.md`, lines(500));
    repo.commitAll('task files');
    const { result } = await repo.stage('contract');
    expect(result).toMatchObject({ status: 'success', metrics: { files_changed: 0 } });
  });

  describe('new dependencies, in each manifest', () => {
    const cases: [string, string, (t: string) => string, string][] = [
      ['package.json', 'npm', (t) => t.replace('"zod": "^4.0.0"', '"zod": "^4.0.0",\n    "left-pad": "^1.3.0"'), 'left-pad'],
      ['go.mod', 'go', (t) => `${t}\nrequire golang.org/x/text v0.14.0\n`, 'golang.org/x/text'],
      ['Cargo.toml', 'cargo', (t) => `${t}regex = "1"\n`, 'regex'],
      ['pyproject.toml', 'python', (t) => t.replace('dependencies = []', 'dependencies = ["requests>=2.31"]'), 'requests'],
    ];

    it.each(cases)('catches a dependency added to %s when new dependencies are not allowed', async (file, ecosystem, edit, name) => {
      const repo = taskRepo();
      repo.write(file, edit(fs.readFileSync(path.join(repo.dir, file), 'utf8')));
      const { result } = await repo.stage('contract');
      expect(result.status).toBe('failure');
      expect(result.summary).toMatch(
        new RegExp(`^${file}: new_dependencies: adds ${ecosystem} package "${name}" .*but new dependencies are not allowed$`),
      );
      expect(result.metrics.dependencies_added).toBe(`${ecosystem}:${name}`);
    });

    it.each(cases)('accepts a dependency added to %s when the contract allows new dependencies', async (file, ecosystem, edit, name) => {
      const repo = taskRepo();
      repo.contract({ new_dependencies_allowed: true });
      repo.write(file, edit(fs.readFileSync(path.join(repo.dir, file), 'utf8')));
      const { result } = await repo.stage('contract');
      expect(result.status).toBe('success');
      expect(result.summary).toContain(`dependencies added (allowed): ${ecosystem}:${name}`);
    });

    it('catches a new requirements.txt as new dependencies', async () => {
      const repo = taskRepo();
      repo.write('requirements.txt', 'flask==3.0.0\n');
      const { result } = await repo.stage('contract');
      expect(result.summary).toMatch(/^requirements\.txt: new_dependencies: adds python package "flask"/);
    });
  });

  it('uses HEAD as the base when task.yaml names no base_commit, and says so', async () => {
    const repo = taskRepo();
    repo.write('lib/committed.ts', 'x\n');
    repo.commitAll('outside, committed');
    repo.write(`.factory/${SLUG}/task.yaml`, stringify({ slug: SLUG, title: 'test', created_at: '2026-01-01T00:00:00.000Z' }));
    const { result, log } = await repo.stage('contract');
    expect(result.status).toBe('success');
    expect(log).toContain(`(HEAD, because .factory/${SLUG}/task.yaml sets no base_commit)`);
  });

  it('fails naming task.yaml and base_commit when the base commit does not exist', async () => {
    const repo = taskRepo();
    repo.write(
      `.factory/${SLUG}/task.yaml`,
      stringify({ slug: SLUG, title: 't', created_at: '2026-01-01T00:00:00.000Z', base_commit: 'deadbeef1234' }),
    );
    const { result } = await repo.stage('contract');
    expect(result.status).toBe('failure');
    expect(result.summary).toMatch(
      new RegExp(
        `^\\.factory/${SLUG}/task\\.yaml: base_commit: expected a commit that exists in .*, got "deadbeef1234" \\(git rev-parse --verify finds no such commit\\)`,
      ),
    );
  });

  it('fails naming the file and field of an invalid contract', async () => {
    const repo = taskRepo();
    repo.contract({ max_lines_changed: -1 });
    const { result } = await repo.stage('contract');
    expect(result.summary).toBe(`.factory/${SLUG}/contract.yaml: max_lines_changed: expected at least 0, got -1`);
  });

  it('checks the task in its git worktree, reading the task files from the workspace root', async () => {
    const repo = taskRepo();
    repo.commitAll('task files');
    const worktree = path.join(tempDir('factory-wt-'), 'ws');
    repo.git('worktree', 'add', '-q', '-b', 'task', worktree);
    fs.writeFileSync(path.join(worktree, 'src/secret-key.ts'), 'x\n');
    fs.writeFileSync(path.join(worktree, 'src/app.ts'), 'export const app = 3;\n');
    const { result } = await repo.stage('contract', worktree);
    expect(result.summary).toBe('src/secret-key.ts: forbidden_files: matches forbidden glob "src/secret*"');
    expect(result.metrics.files_changed).toBe(2);
    // The main checkout is untouched, so it passes there.
    expect((await repo.stage('contract')).result.status).toBe('success');
  });

  it('checks a workspace that is a subdirectory of the git repository, with paths relative to it', async () => {
    const outer = tempDir('factory-outer-');
    const repo = taskRepo(path.join(outer, 'ws'));
    fs.renameSync(path.join(repo.dir, '.git'), path.join(outer, '.git'));
    const git = (...args: string[]) => repo.git(...args);
    git('add', '-A');
    git('commit', '-q', '-m', 'moved into ws/');
    const base = git('rev-parse', 'HEAD').trim();
    repo.write(
      `.factory/${SLUG}/task.yaml`,
      stringify({ slug: SLUG, title: 't', created_at: '2026-01-01T00:00:00.000Z', base_commit: base }),
    );
    fs.writeFileSync(path.join(outer, 'outside-the-workspace.txt'), 'not the task\n');
    repo.write('src/secret.ts', 'x\n');
    const { result } = await repo.stage('contract');
    expect(result.findings?.map((f) => f.file)).toEqual(['src/secret.ts']);
  });
});

describe('contract stage with what the runner prepared', () => {
  it('judges against the contract the runner already read, without reading it again', async () => {
    const repo = taskRepo();
    repo.write('src/app.ts', 'export const app = 2;\nexport const b = 3;\n');
    const contract = loadContract(repo.dir, SLUG).value as LoadedContract;
    // The file on disk allows 20 lines; the prepared contract (what the runner resolved) allows 1.
    const prepared = { contract: { ...contract, contract: { ...contract.contract, max_lines_changed: 1 } } };
    const { result } = await repo.stage('contract', repo.dir, prepared);
    expect(result.metrics).toMatchObject({ max_lines_changed: 1 });
    expect(result.status).toBe('failure');
  });

  it("names task.yaml and base_commit when the runner's early diff found no base commit, its error made by another bundle", async () => {
    const repo = taskRepo();
    repo.write(
      `.factory/${SLUG}/task.yaml`,
      stringify({ slug: SLUG, title: 't', created_at: '2026-01-01T00:00:00.000Z', base_commit: 'deadbeef1234' }),
    );
    // The runner's bundle and the built-in stages' bundle each hold a copy of FactoryError.
    class OtherCopy extends Error {
      readonly code = 'BASE_COMMIT';
    }
    Object.defineProperty(OtherCopy.prototype, Symbol.for('factory.FactoryError'), { value: true });
    const failed = Promise.reject(new OtherCopy('expected the base "deadbeef1234" to name a commit'));
    failed.catch(() => undefined);
    const changes = { gitRoot: fs.realpathSync(repo.dir), given: 'deadbeef1234', sha: failed, changes: failed };
    const { result } = await repo.stage('contract', repo.dir, { changes });
    expect(result.status).toBe('failure');
    expect(result.summary).toMatch(new RegExp(`^\\.factory/${SLUG}/task\\.yaml: base_commit: expected a commit that exists in `));
  });
});
