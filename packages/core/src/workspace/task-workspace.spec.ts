import { jest } from '@jest/globals';
import { existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { collectTaskDetails } from '../report/task-details';
import { tcrRepo, type TcrRepo } from '../testing/tcr-repo';
import { existingTaskWorkspace, taskCodeRoot } from './code-root';
import { createTaskWorkspace, deleteTaskWorkspace, listTaskWorkspaces, restoreTaskWorkspace } from './task-workspace';

jest.setTimeout(60_000);

/** The task's activity log (workspace events: not decisions, so not the committed audit trail). */
const events = (repo: TcrRepo, file = 'activity.jsonl') =>
  readFileSync(path.join(repo.root, `.factory/bd-1/${file}`), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { action: string; outcome: string; actor: string; details: Record<string, unknown> });

describe('createTaskWorkspace', () => {
  let repo: TcrRepo;
  beforeEach(() => {
    repo = tcrRepo();
  });
  afterEach(() => repo.cleanup());

  it('makes a worktree on factory/<slug> from the current commit, records it in task.yaml, audits it and moves the task to ready', async () => {
    const head = repo.git('rev-parse', 'HEAD').trim();
    const ws = await createTaskWorkspace(repo.root, 'bd-1', { actor: 'ann@example.com' });
    expect(ws).toMatchObject({ backend: 'git', path: '.factory/workspaces/bd-1', branch: 'factory/bd-1', base: head, created: true });
    const task = repo.read('.factory/bd-1/task.yaml');
    expect(task).toContain('# written by the test');
    expect(task).toMatch(/workspace:\n {2}backend: git\n {2}path: \.factory\/workspaces\/bd-1\n {2}branch: factory\/bd-1\n/);
    expect(task).toContain(`base_commit: ${head}`);
    expect(repo.read('.factory/bd-1/status.yaml')).toMatch(/^status: ready/);
    expect(events(repo).map((e) => [e.action, e.actor])).toEqual([['workspace_created', 'ann@example.com']]);
    expect(events(repo, 'audit.jsonl').map((e) => [e.action, e.actor])).toEqual([['status_changed', 'ann@example.com']]);
    expect(existingTaskWorkspace(repo.root, 'bd-1')?.dir).toBe(path.join(repo.root, '.factory/workspaces/bd-1'));
    expect(repo.git('status', '--porcelain')).not.toContain('workspaces');
  });

  it('puts the code where the work is: the main tree while the workspace is at its base, the workspace from its first edit or commit on', async () => {
    const ws = await createTaskWorkspace(repo.root, 'bd-1', { actor: 'ann@example.com' });
    expect(taskCodeRoot(repo.root, 'bd-1')).toBe(repo.root);
    // An uncommitted edit, then an untracked file, then a commit beyond the base: each is work.
    writeFileSync(path.join(ws.dir, 'src/index.js'), 'module.exports = 2;\n');
    expect(taskCodeRoot(repo.root, 'bd-1')).toBe(ws.dir);
    repo.git('-C', ws.dir, 'checkout', '--', 'src/index.js');
    expect(taskCodeRoot(repo.root, 'bd-1')).toBe(repo.root);
    writeFileSync(path.join(ws.dir, 'src/new.js'), 'module.exports = 3;\n');
    expect(taskCodeRoot(repo.root, 'bd-1')).toBe(ws.dir);
    repo.git('-C', ws.dir, 'add', '-A');
    repo.git('-C', ws.dir, 'commit', '-qm', 'work');
    expect(repo.git('-C', ws.dir, 'status', '--porcelain')).toBe('');
    expect(taskCodeRoot(repo.root, 'bd-1')).toBe(ws.dir);
  });

  it("links the main tree's installed dependencies into the worktree, unseen by git, and never deletes them with it", async () => {
    repo.write('.gitignore', 'node_modules/\n.factory/*/results/\n.factory/workspaces/\n.factory/*/.lock\n');
    repo.write('package.json', '{}\n');
    repo.write('pkgs/a/package.json', '{}\n');
    repo.git('add', '-A');
    repo.git('commit', '-qm', 'packages');
    repo.write('node_modules/tool/index.js', 'module.exports = "tool";\n');
    repo.write('pkgs/a/node_modules/dep/index.js', 'module.exports = "dep";\n');
    const ws = await createTaskWorkspace(repo.root, 'bd-1', { actor: 'ann@example.com' });
    for (const rel of ['node_modules', 'pkgs/a/node_modules']) expect(lstatSync(path.join(ws.dir, rel)).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(ws.dir, 'node_modules/tool/index.js'), 'utf8')).toContain('tool');
    expect(events(repo)[0].details).toMatchObject({ linked: ['node_modules', 'pkgs/a/node_modules'] });
    // `node_modules/` in .gitignore matches directories only: the links are excluded explicitly.
    expect(repo.git('-C', ws.dir, 'status', '--porcelain')).toBe('');
    await deleteTaskWorkspace(repo.root, 'bd-1', { actor: 'ann@example.com' });
    expect(existsSync(ws.dir)).toBe(false);
    expect(readFileSync(path.join(repo.root, 'node_modules/tool/index.js'), 'utf8')).toContain('tool');
    expect(readFileSync(path.join(repo.root, 'pkgs/a/node_modules/dep/index.js'), 'utf8')).toContain('dep');
  });

  it("links the repository's own packages of a workspaces install to the worktree's copies (unjs/destr: the tests imported the main tree's unchanged sibling)", async () => {
    repo.write('.gitignore', 'node_modules/\n.factory/*/results/\n.factory/workspaces/\n.factory/*/.lock\n');
    repo.write('package.json', '{ "workspaces": ["pkgs/*"] }\n');
    repo.write('pkgs/shared/package.json', '{ "name": "shared" }\n');
    repo.write('pkgs/shared/index.js', 'module.exports = 2;\n');
    repo.write('pkgs/util/package.json', '{ "name": "@acme/util" }\n');
    repo.git('add', '-A');
    repo.git('commit', '-qm', 'workspaces');
    repo.write('node_modules/dep/index.js', 'module.exports = "dep";\n');
    mkdirSync(path.join(repo.root, 'node_modules/@acme'), { recursive: true });
    symlinkSync('../pkgs/shared', path.join(repo.root, 'node_modules/shared'));
    symlinkSync('../../pkgs/util', path.join(repo.root, 'node_modules/@acme/util'));
    const ws = await createTaskWorkspace(repo.root, 'bd-1', { actor: 'ann@example.com' });
    expect(lstatSync(path.join(ws.dir, 'node_modules')).isDirectory()).toBe(true);
    expect(realpathSync(path.join(ws.dir, 'node_modules/shared'))).toBe(realpathSync(path.join(ws.dir, 'pkgs/shared')));
    expect(realpathSync(path.join(ws.dir, 'node_modules/@acme/util'))).toBe(realpathSync(path.join(ws.dir, 'pkgs/util')));
    expect(realpathSync(path.join(ws.dir, 'node_modules/dep'))).toBe(realpathSync(path.join(repo.root, 'node_modules/dep')));
    // The task's edit of its sibling is what its tests import.
    writeFileSync(path.join(ws.dir, 'pkgs/shared/index.js'), 'module.exports = 3;\n');
    expect(readFileSync(path.join(ws.dir, 'node_modules/shared/index.js'), 'utf8')).toBe('module.exports = 3;\n');
    expect(repo.git('-C', ws.dir, 'status', '--porcelain')).toBe(' M pkgs/shared/index.js\n');
    await deleteTaskWorkspace(repo.root, 'bd-1', { actor: 'ann@example.com', force: true });
    expect(readFileSync(path.join(repo.root, 'pkgs/shared/index.js'), 'utf8')).toBe('module.exports = 2;\n');
    expect(readFileSync(path.join(repo.root, 'node_modules/dep/index.js'), 'utf8')).toContain('dep');
  });

  it("copies the version module hatch-vcs or setuptools-scm writes and the project ignores (platformdirs' tests import it)", async () => {
    repo.write('.gitignore', '.factory/*/results/\n.factory/workspaces/\n.factory/*/.lock\nversion.py\n_version.py\n');
    repo.write('py/pyproject.toml', '[tool.hatch.build.hooks.vcs]\nversion-file = "src/p/version.py"\n');
    repo.write('py/src/p/__init__.py', 'from .version import __version__\n');
    repo.write('scm/pyproject.toml', '[tool.setuptools_scm]\nwrite_to = "../outside.py"\nversion_file = "q/_version.py"\n');
    repo.write('scm/q/__init__.py', '');
    repo.git('add', '-A');
    repo.git('commit', '-qm', 'python');
    repo.write('py/src/p/version.py', "__version__ = '3.5.1'\n");
    repo.write('outside.py', 'x = 1\n');
    const ws = await createTaskWorkspace(repo.root, 'bd-1', { actor: 'ann@example.com' });
    expect(readFileSync(path.join(ws.dir, 'py/src/p/version.py'), 'utf8')).toBe("__version__ = '3.5.1'\n");
    // Not written by the build yet in the main tree: nothing to copy; a path out of the project's tree: never.
    expect(existsSync(path.join(ws.dir, 'scm/q/_version.py'))).toBe(false);
    expect(existsSync(path.join(ws.dir, 'outside.py'))).toBe(false);
    expect(events(repo)[0].details).toMatchObject({ copied: ['py/src/p/version.py'] });
    expect(repo.git('-C', ws.dir, 'status', '--porcelain')).toBe('');
  });

  it('is named among the problems factory show lists when deleted by hand while its branch is here (not in a CI clone)', async () => {
    const ws = await createTaskWorkspace(repo.root, 'bd-1', { actor: 'ann@example.com' });
    expect((await collectTaskDetails(repo.root, 'bd-1')).details.problems).toEqual([]);
    rmSync(ws.dir, { recursive: true, force: true });
    repo.git('worktree', 'prune');
    expect((await collectTaskDetails(repo.root, 'bd-1')).details.problems).toEqual([
      'the workspace task.yaml records (.factory/workspaces/bd-1) is not here, but its branch factory/bd-1 is: the stages judge the main tree, without the work committed there; bring it back with: factory workspace create bd-1',
    ]);
    // A CI clone has the record but neither the workspace nor the branch: nothing to say.
    repo.git('branch', '-D', 'factory/bd-1');
    expect((await collectTaskDetails(repo.root, 'bd-1')).details.problems).toEqual([]);
  });

  it('starts from the base commit recorded in task.yaml', async () => {
    const base = repo.git('rev-parse', 'HEAD').trim();
    repo.write('.factory/bd-1/task.yaml', `${repo.read('.factory/bd-1/task.yaml')}base_commit: ${base}\n`);
    repo.write('later.txt', 'x');
    repo.git('add', '-A');
    repo.git('commit', '-qm', 'later');
    const ws = await createTaskWorkspace(repo.root, 'bd-1');
    expect(ws.base).toBe(base);
    expect(repo.exists('.factory/workspaces/bd-1/later.txt')).toBe(false);
  });

  it('gives the same workspace back when the task has one', async () => {
    await createTaskWorkspace(repo.root, 'bd-1');
    expect((await createTaskWorkspace(repo.root, 'bd-1')).created).toBe(false);
  });

  it('refuses a workspace directory that git does not ignore, saying what to add', async () => {
    repo.write('.factory/config.yaml', 'workspace:\n  directory: work\n');
    await expect(createTaskWorkspace(repo.root, 'bd-1')).rejects.toThrow(
      /work\/bd-1 is inside the repository but not ignored by git.*add "work\/" to \.gitignore/,
    );
    expect(repo.exists('work/bd-1')).toBe(false);
  });

  it('refuses when workspace.backend is none', async () => {
    repo.write('.factory/config.yaml', 'workspace:\n  backend: none\n');
    await expect(createTaskWorkspace(repo.root, 'bd-1')).rejects.toThrow(/workspace\.backend is "none"/);
  });
});

describe('deleteTaskWorkspace', () => {
  let repo: TcrRepo;
  const wsDir = '.factory/workspaces/bd-1';
  beforeEach(async () => {
    repo = tcrRepo();
    await createTaskWorkspace(repo.root, 'bd-1');
  });
  afterEach(() => repo.cleanup());

  it('refuses with uncommitted work, naming the files', async () => {
    repo.write(`${wsDir}/src/index.js`, 'changed\n');
    await expect(deleteTaskWorkspace(repo.root, 'bd-1')).rejects.toThrow(
      /refusing to delete .* 1 uncommitted change\(s\): src\/index\.js \(modified\)/,
    );
    expect(repo.exists(`${wsDir}/src/index.js`)).toBe(true);
  });

  it('refuses with commits on no other branch', async () => {
    repo.write(`${wsDir}/src/index.js`, 'changed\n');
    repo.gitIn(wsDir, 'commit', '-qam', 'work');
    await expect(deleteTaskWorkspace(repo.root, 'bd-1')).rejects.toThrow(/1 commit\(s\) on factory\/bd-1 are on no other branch/);
  });

  it('with force, saves uncommitted work, keeps the branch and its commits, and forgets the workspace', async () => {
    repo.write(`${wsDir}/src/index.js`, 'committed\n');
    repo.gitIn(wsDir, 'commit', '-qam', 'work');
    const commit = repo.gitIn(wsDir, 'rev-parse', 'HEAD').trim();
    repo.write(`${wsDir}/wip.js`, 'wip\n');
    const r = await deleteTaskWorkspace(repo.root, 'bd-1', { force: true, actor: 'bob' });
    expect(r).toMatchObject({ unmerged: 1, branch: 'factory/bd-1', saved: { ref: 'refs/factory/bd-1/deleted/1' } });
    expect(repo.exists(wsDir)).toBe(false);
    expect(repo.git('rev-parse', 'factory/bd-1').trim()).toBe(commit);
    expect(repo.git('show', 'refs/factory/bd-1/deleted/1:wip.js')).toBe('wip\n');
    expect(repo.read('.factory/bd-1/task.yaml')).not.toContain('workspace:');
    expect(existingTaskWorkspace(repo.root, 'bd-1')).toBeUndefined();
    expect(taskCodeRoot(repo.root, 'bd-1')).toBe(repo.root);
    expect(events(repo).at(-1)).toMatchObject({
      action: 'workspace_deleted',
      actor: 'bob',
      details: { forced: true, saved: 'refs/factory/bd-1/deleted/1' },
    });
    repo.git('fsck', '--no-progress');
  });

  it('deletes a clean, merged workspace without force', async () => {
    await deleteTaskWorkspace(repo.root, 'bd-1');
    expect(repo.exists(wsDir)).toBe(false);
    expect(repo.git('branch', '--list', 'factory/bd-1').trim()).toBe('factory/bd-1');
  });
});

describe('restoreTaskWorkspace', () => {
  it('saves uncommitted work, then makes the content that of n commits ago', async () => {
    const repo = tcrRepo();
    try {
      await createTaskWorkspace(repo.root, 'bd-1');
      const wsDir = '.factory/workspaces/bd-1';
      repo.write(`${wsDir}/src/index.js`, 'v2\n');
      repo.gitIn(wsDir, 'commit', '-qam', 'v2');
      repo.write(`${wsDir}/src/index.js`, 'wip\n');
      const r = await restoreTaskWorkspace(repo.root, 'bd-1', 2);
      expect(r.saved?.ref).toBe('refs/factory/bd-1/saved/1');
      expect(repo.read(`${wsDir}/src/index.js`)).toBe('module.exports = 1;\n');
      expect(repo.git('show', 'refs/factory/bd-1/saved/1:src/index.js')).toBe('wip\n');
    } finally {
      repo.cleanup();
    }
  });
});

describe('listTaskWorkspaces', () => {
  it('lists the tasks whose task.yaml records a workspace, and whether it is here', async () => {
    const repo = tcrRepo(['bd-1', 'bd-2']);
    try {
      await createTaskWorkspace(repo.root, 'bd-2');
      expect(listTaskWorkspaces(repo.root)).toEqual([{ slug: 'bd-2', backend: 'git', path: '.factory/workspaces/bd-2', present: true }]);
    } finally {
      repo.cleanup();
    }
  });
});
