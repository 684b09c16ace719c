import type { ExecutorContext } from '@nx/devkit';
import { jest } from '@jest/globals';
import { createTaskWorkspace } from '@factory/core';
import { FAILING_TEST, PASSING_TEST, gitTaskRepo } from '../../testing/git-task-repo';
import tcrExecutor from './executor';

jest.setTimeout(60_000);
const WS = '.factory/workspaces/bd-1';

describe('tcr executor', () => {
  let repo: ReturnType<typeof gitTaskRepo>;
  let printed: string;
  let spy: ReturnType<typeof jest.spyOn>;
  const context = () => ({ root: repo.root, projectName: 'bd-1', cwd: repo.root, isVerbose: false }) as unknown as ExecutorContext;
  beforeEach(async () => {
    repo = gitTaskRepo();
    await createTaskWorkspace(repo.root, 'bd-1');
    printed = '';
    spy = jest.spyOn(process.stdout, 'write').mockImplementation((t: string | Uint8Array) => ((printed += String(t)), true));
  });
  afterEach(() => {
    spy.mockRestore();
    repo.cleanup();
  });

  it('succeeds when the change is committed, and names the exit code factory tcr run would give', async () => {
    repo.write(`${WS}/test/b.test.js`, PASSING_TEST);
    expect(await tcrExecutor({ message: 'add a test' }, context())).toEqual({ success: true });
    expect(repo.gitIn(WS, 'log', '-1', '--format=%s').trim()).toBe('bd-1: add a test');
    expect(printed).toContain('factory › bd-1 › tcr: committed (factory tcr run exits 0 for this)');
  });

  it('fails when the change is reverted (strict here), keeping the attempt', async () => {
    repo.write(`${WS}/test/b.test.js`, FAILING_TEST);
    expect(await tcrExecutor({ variant: 'strict' }, context())).toEqual({ success: false });
    expect(printed).toContain('tcr: reverted (factory tcr run exits 1 for this)');
    expect(repo.git('for-each-ref', '--format=%(refname)', 'refs/factory/').trim()).toBe('refs/factory/bd-1/reverted/1');
  });

  it('rejects an option it does not know, naming it', async () => {
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await tcrExecutor({ variant: 'loose' } as never, context())).toEqual({ success: false });
      expect(err).toHaveBeenCalledWith(expect.stringContaining('--variant'));
    } finally {
      err.mockRestore();
    }
  });
});
