import { jest } from '@jest/globals';
import { FAILING_TEST, PASSING_TEST, gitTaskRepo } from '../../testing/git-task-repo';
import { main } from '../main';

jest.setTimeout(90_000);
const WS = '.factory/workspaces/bd-1';

describe('factory tcr and factory workspace', () => {
  let repo: ReturnType<typeof gitTaskRepo>;
  let out: string;
  const cli = (...argv: string[]) => main(argv, { root: repo.root, out: (t) => (out += t), err: (t) => (out += t), env: {} });
  beforeEach(() => {
    repo = gitTaskRepo();
    out = '';
  });
  afterEach(() => repo.cleanup());

  it('creates a workspace, runs TCR with its exit codes, lists and restores the reverted attempt', async () => {
    expect(await cli('workspace', 'create', 'bd-1')).toBe(0);
    expect(out).toContain('bd-1: created .factory/workspaces/bd-1 on factory/bd-1');
    out = '';
    expect(await cli('workspace', 'path', 'bd-1')).toBe(0);
    expect(out.trim()).toBe(`${repo.root}/${WS}`);

    repo.write(`${WS}/test/b.test.js`, PASSING_TEST);
    expect(await cli('tcr', 'run', 'bd-1')).toBe(0);
    repo.write(`${WS}/test/c.test.js`, FAILING_TEST);
    repo.write(`${WS}/src/index.js`, 'module.exports = 2;\n');
    expect(await cli('tcr', 'run', 'bd-1', '--variant', 'strict')).toBe(1);
    expect(repo.gitIn(WS, 'status', '--porcelain')).toBe('');

    out = '';
    expect(await cli('tcr', 'list', 'bd-1', '--json')).toBe(0);
    const listed = JSON.parse(out) as { attempts: Array<{ ref: string; files: Array<{ path: string }> }> };
    expect(listed.attempts.map((a) => [a.ref, a.files.map((f) => f.path)])).toEqual([
      ['refs/factory/bd-1/reverted/1', ['src/index.js', 'test/c.test.js']],
    ]);
    expect(await cli('tcr', 'restore', 'bd-1', '1')).toBe(0);
    expect(repo.read(`${WS}/src/index.js`)).toBe('module.exports = 2;\n');

    out = '';
    expect(await cli('workspace', 'delete', 'bd-1')).toBe(1);
    expect(out).toMatch(/refusing to delete the workspace of bd-1/);
    expect(await cli('workspace', 'delete', 'bd-1', '--force')).toBe(0);
    expect(out).toMatch(/Uncommitted work saved as refs\/factory\/bd-1\/deleted\/1\. The branch factory\/bd-1 keeps the task's commits\./);
  });

  it('exits 3 for a task without a workspace, and 2 for usage errors', async () => {
    expect(await cli('tcr', 'run', 'bd-1')).toBe(3);
    expect(out).toMatch(/task bd-1 has no workspace here; create one with: factory workspace create bd-1/);
    expect(await cli('tcr', 'run', '../x')).toBe(2);
    expect(await cli('tcr', 'run', 'bd-1', '--variant', 'loose')).toBe(2);
    expect(await cli('tcr', 'frobnicate')).toBe(2);
    expect(await cli('tcr', 'restore', 'bd-1', 'x')).toBe(2);
    expect(await cli('workspace', 'restore', 'bd-1', '0')).toBe(2);
    expect(await cli('tcr', 'run', 'bd-1', '--bogus')).toBe(2);
  });
});
