import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';
import { logger, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { parse } from 'yaml';
import { taskGenerator } from './generator';

const read = (tree: Tree, f: string) => parse(tree.read(f, 'utf-8') ?? '');

describe('task generator', () => {
  let tree: Tree;
  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
    tree.write('packages/app/package.json', '{"name":"app"}');
    tree.write('packages/app/tsconfig.json', '{}');
    tree.write('svc/go.mod', 'module x\n');
  });

  it('writes task.yaml and contract.yaml with a detected language; the directory is found from the manifest', async () => {
    await taskGenerator(tree, { slug: 'bd-77.1', directory: 'packages/app', title: 'Greet' });
    expect(read(tree, '.factory/bd-77.1/task.yaml')).toMatchObject({ slug: 'bd-77.1', title: 'Greet', created_at: expect.any(String) });
    expect(read(tree, '.factory/bd-77.1/contract.yaml')).toEqual({
      language: 'typescript',
      allowed_files: ['packages/app/**'],
    });
  });

  it('prints the plan: where the stages run and which tool each uses, and why', async () => {
    tree.write('packages/app/package.json', '{"name":"app","scripts":{"test":"vitest run"},"devDependencies":{"vitest":"^3"}}');
    tree.write('packages/app/eslint.config.mjs', 'export default [];\n');
    const lines: string[] = [];
    const spy = jest.spyOn(logger, 'info').mockImplementation((m: unknown) => void lines.push(String(m)));
    try {
      await taskGenerator(tree, { slug: 'bd-77.2', directory: 'packages/app' });
    } finally {
      spy.mockRestore();
    }
    const plan = lines.join('\n');
    expect(plan).toContain('runs in packages/app (packages/app/tsconfig.json covers the allowed files)');
    expect(plan).toContain(
      'unit-test: vitest (vitest in package.json) — MISSING: vitest is configured (vitest in package.json) but not installed: npm install -D vitest',
    );
    expect(plan).toContain('lint: eslint (packages/app/eslint.config.mjs) — MISSING');
    // Nx 23's test workspace formats with oxfmt (its .oxfmtrc.json), as create-nx-workspace can make one.
    expect(plan).toContain(
      'format: oxfmt (.oxfmtrc.json) — MISSING: oxfmt is configured (.oxfmtrc.json) but not installed: npm install -D oxfmt',
    );
    expect(plan).toContain('Commit .factory/bd-77.2/ (task.yaml, contract.yaml) and the audit trail in .factory/ with it');
  });

  it('takes a Go, Python or Rust project at the root for what it is, though Nx brought a package.json', async () => {
    tree.write('go.mod', 'module example.com/x\n');
    tree.write(
      'package.json',
      JSON.stringify({
        name: 'x',
        scripts: { test: 'echo "Error: no test specified" && exit 1' },
        devDependencies: { nx: '23.3.1', '@nx/devkit': '23.3.1', factory: 'file:/tmp/factory.tgz' },
      }),
    );
    await taskGenerator(tree, { slug: 'bd-3.1', directory: '.' });
    expect(read(tree, '.factory/bd-3.1/contract.yaml')).toMatchObject({ language: 'go' });
    // A package.json with a dependency or a test of its own is a JavaScript project too: the user says which.
    tree.write('package.json', JSON.stringify({ name: 'x', devDependencies: { nx: '23.3.1', vitest: '^3' } }));
    await expect(taskGenerator(tree, { slug: 'bd-3.2', directory: '.' })).rejects.toThrow(
      /several match: go \(go\.mod\), typescript \(package\.json\)/,
    );
  });

  it('pins the stages to --directory\'s project when the allowed files reach beyond it (unjs/destr with a sibling package: every tool stage ran at the root, "not configured")', async () => {
    tree.write('package.json', '{"name":"root","private":true}');
    tree.write('libs/destr/package.json', '{"name":"destr"}');
    tree.write('libs/destr/src/index.ts', '');
    tree.write('packages/shared/index.js', '');
    await taskGenerator(tree, { slug: 'bd-78.1', directory: 'libs/destr', allowedFiles: ['libs/destr/**', 'packages/shared/**'] });
    expect(read(tree, '.factory/bd-78.1/contract.yaml')).toMatchObject({ working_directory: 'libs/destr' });
    // --directory below the project: its project, not the folder itself.
    await taskGenerator(tree, {
      slug: 'bd-78.2',
      directory: 'libs/destr/src',
      language: 'typescript',
      allowedFiles: ['libs/destr/src/**', 'packages/shared/**'],
    });
    expect(read(tree, '.factory/bd-78.2/contract.yaml')).toMatchObject({ working_directory: 'libs/destr' });
    // Allowed files within the project: nothing to pin.
    await taskGenerator(tree, { slug: 'bd-78.3', directory: 'libs/destr', allowedFiles: ['libs/destr/src/**'] });
    expect(read(tree, '.factory/bd-78.3/contract.yaml').working_directory).toBeUndefined();
  });

  it('sets up Factory when init has not run', async () => {
    await taskGenerator(tree, { slug: 'bd-1', directory: 'svc' });
    expect(tree.read('nx.json', 'utf-8')).toContain('"factory"');
    expect(tree.exists('.factory/config.yaml')).toBe(true);
  });

  it('takes the contract options', async () => {
    await taskGenerator(tree, {
      slug: 'bd-2',
      directory: 'svc',
      allowedFiles: ['svc/**', 'docs/**'],
      forbiddenFiles: ['svc/secrets/**'],
      maxLinesChanged: 120,
      requiredTestCoverage: 80,
      newDependenciesAllowed: true,
      language: 'go',
    });
    expect(read(tree, '.factory/bd-2/contract.yaml')).toMatchObject({
      allowed_files: ['svc/**', 'docs/**'],
      forbidden_files: ['svc/secrets/**'],
      max_lines_changed: 120,
      required_test_coverage: 80,
      new_dependencies_allowed: true,
    });
  });

  describe('bad input writes nothing', () => {
    it.each([
      ['../x', /--slug: expected a task slug without path separators/],
      ['a b', /--slug: expected a task slug of letters/],
      ['', /--slug/],
      ['workspaces', /reserved/],
      ['-rf', /leading "-"/],
      ['nul', /device name on Windows/],
      ['COM1.x', /device name on Windows/],
    ])('slug %j', async (slug, message) => {
      await expect(taskGenerator(tree, { slug, directory: 'svc' })).rejects.toThrow(message);
      expect(tree.listChanges().filter((c) => c.path.startsWith('.factory'))).toEqual([]);
    });

    it('an existing task', async () => {
      await taskGenerator(tree, { slug: 'bd-3', directory: 'svc' });
      await expect(taskGenerator(tree, { slug: 'bd-3', directory: 'svc' })).rejects.toThrow('--slug: task "bd-3" already exists');
    });

    it('a slug differing from a task only in case, or naming an Nx project', async () => {
      await taskGenerator(tree, { slug: 'bd-3', directory: 'svc' });
      await expect(taskGenerator(tree, { slug: 'BD-3', directory: 'svc' })).rejects.toThrow(/only differs in case from task "bd-3"/);
      tree.write('libs/api/project.json', JSON.stringify({ name: 'api', root: 'libs/api' }));
      await expect(taskGenerator(tree, { slug: 'api', directory: 'svc' })).rejects.toThrow(/the project at libs\/api is called "api"/);
      expect(tree.exists('.factory/BD-3')).toBe(false);
      expect(tree.exists('.factory/api')).toBe(false);
    });

    it('a directory that does not exist or leaves the workspace', async () => {
      await expect(taskGenerator(tree, { slug: 'bd-4', directory: 'nope' })).rejects.toThrow('--directory: expected an existing directory');
      await expect(taskGenerator(tree, { slug: 'bd-4', directory: '../etc' })).rejects.toThrow('--directory: expected a path inside');
    });

    it('a glob that does not compile', async () => {
      await expect(taskGenerator(tree, { slug: 'bd-5', directory: 'svc', allowedFiles: ['svc/[a-'] })).rejects.toThrow(
        '--allowed-files: expected a valid glob',
      );
    });

    it('an unknown language and an undetectable one', async () => {
      await expect(taskGenerator(tree, { slug: 'bd-6', directory: 'svc', language: 'cobol' as 'go' })).rejects.toThrow('--language');
      tree.write('both/go.mod', '');
      tree.write('both/Cargo.toml', '');
      await expect(taskGenerator(tree, { slug: 'bd-6', directory: 'both' })).rejects.toThrow(
        /several match: go \(go\.mod\), rust \(Cargo\.toml\)/,
      );
    });

    it("manifests of two languages in the directory, though a subdirectory holds one project: the directory's own is ambiguous", async () => {
      tree.write('mixed/pyproject.toml', '[project]\nname = "m"\n');
      tree.write('mixed/package.json', JSON.stringify({ name: 'm', devDependencies: { typescript: '5.9.3' } }));
      tree.write('mixed/packages/app/tsconfig.json', '{}');
      await expect(taskGenerator(tree, { slug: 'bd-6', directory: 'mixed' })).rejects.toThrow(
        /--language: .*several match: python \(pyproject\.toml\), typescript \(package\.json\).*\(in mixed\)/,
      );
    });

    it('a base commit that is not a commit id', async () => {
      await expect(taskGenerator(tree, { slug: 'bd-7', directory: 'svc', baseCommit: 'HEAD;rm' })).rejects.toThrow('--base-commit');
    });

    it('a base commit the repository does not have', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'factory-generator-git-'));
      try {
        execFileSync('git', ['init', '-q'], { cwd: dir });
        execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '--allow-empty', '-m', 'base'], {
          cwd: dir,
        });
        const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim();
        (tree as { root: string }).root = dir;
        await expect(taskGenerator(tree, { slug: 'bd-8', directory: 'svc', baseCommit: 'deadbeefdeadbeef' })).rejects.toThrow(
          '--base-commit: expected a commit of this repository, got "deadbeefdeadbeef", which git does not know',
        );
        expect(tree.exists('.factory/bd-8')).toBe(false);
        await taskGenerator(tree, { slug: 'bd-8', directory: 'svc', baseCommit: head, skipWorkspace: true });
        expect(parse(tree.read('.factory/bd-8/task.yaml', 'utf8') ?? '')).toMatchObject({ base_commit: head });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});

describe('task generator: a task git would ignore', () => {
  it("warns, naming the rule, when git ignores the task's files (npm/ini's template-oss writes a .gitignore of /*)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'factory-generator-ignored-'));
    const warnings: string[] = [];
    const spy = jest.spyOn(logger, 'warn').mockImplementation((m: unknown) => void warnings.push(String(m)));
    try {
      execFileSync('git', ['init', '-q'], { cwd: dir });
      const tree = createTreeWithEmptyWorkspace();
      (tree as { root: string }).root = dir;
      tree.write('svc/go.mod', 'module x\n');
      writeFileSync(path.join(dir, '.gitignore'), '# managed\n/*\n!/svc/\n');
      await taskGenerator(tree, { slug: 'bd-9', directory: 'svc', skipWorkspace: true });
      expect(warnings).toEqual([
        'git ignores .factory/bd-9/ (.gitignore:2:/*), so Nx will not see the task and it cannot be committed: un-ignore it, e.g. add !/.factory/ below that rule.',
      ]);
      warnings.length = 0;
      writeFileSync(path.join(dir, '.gitignore'), '/*\n!/svc/\n!/.factory/\n');
      await taskGenerator(tree, { slug: 'bd-10', directory: 'svc', skipWorkspace: true });
      expect(warnings).toEqual([]);
    } finally {
      spy.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('task generator: the workspace', () => {
  it('returns a callback that records the task and creates its workspace (Nx runs it after writing, never on --dry-run; e2e: tcr.e2e.ts)', async () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('svc/go.mod', 'module x\n');
    expect(typeof (await taskGenerator(tree, { slug: 'bd-1', directory: 'svc', skipWorkspace: true }))).toBe('function');
  });
});
