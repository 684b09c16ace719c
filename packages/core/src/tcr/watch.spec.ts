import { jest } from '@jest/globals';
import { FAILING_TEST, tcrRepo, type TcrRepo } from '../testing/tcr-repo';
import { createTaskWorkspace } from '../workspace/task-workspace';
import type { TcrOutcome } from './outcome';
import { watchTcr } from './watch';

jest.setTimeout(90_000);
const WS = '.factory/workspaces/bd-1';
const until = async (ok: () => boolean, ms = 60_000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
};

/** An `out` for watchTcr, and a promise kept once it says it is watching (its start reads the tree: slow on a loaded machine). */
function watching() {
  let ready!: () => void;
  const started = new Promise<void>((r) => (ready = r));
  const out = (line: string) => {
    if (line.includes('tcr: watching ')) ready();
  };
  return { out, started };
}

describe('watchTcr', () => {
  let repo: TcrRepo;
  beforeEach(async () => {
    repo = tcrRepo();
    repo.write('.gitignore', `${repo.read('.gitignore')}build/\n`);
    repo.git('commit', '-qam', 'ignore build');
    await createTaskWorkspace(repo.root, 'bd-1');
  });
  afterEach(() => repo.cleanup());

  it('runs a cycle after a change (debounced), not after ignored files change, and stops when aborted', async () => {
    const cycles: TcrOutcome[] = [];
    const ac = new AbortController();
    const { out, started } = watching();
    const done = watchTcr({ root: repo.root, slug: 'bd-1', debounceMs: 100, signal: ac.signal, onCycle: (o) => cycles.push(o), out });
    await started;
    repo.write(`${WS}/build/out.js`, 'ignored\n');
    await new Promise((r) => setTimeout(r, 800));
    expect(cycles).toHaveLength(0);
    repo.write(`${WS}/src/more.js`, 'module.exports = 2;\n');
    repo.write(`${WS}/src/more2.js`, 'module.exports = 3;\n');
    await until(() => cycles.length === 1);
    expect(cycles[0]).toMatchObject({ result: 'committed', files: [{ path: 'src/more.js' }, { path: 'src/more2.js' }] });
    ac.abort();
    expect((await done).result).toBe('committed');
  });

  it('gives up after max attempts in a row without a commit', async () => {
    const { out, started } = watching();
    const done = watchTcr({ root: repo.root, slug: 'bd-1', debounceMs: 50, maxAttempts: 1, variant: 'strict', out });
    await started;
    repo.write(`${WS}/test/b.test.js`, FAILING_TEST);
    expect(await done).toMatchObject({ result: 'gave_up', exitCode: 6 });
    expect(repo.gitIn(WS, 'status', '--porcelain')).toBe('');
  });
});
