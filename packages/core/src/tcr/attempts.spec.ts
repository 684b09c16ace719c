import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { jest } from '@jest/globals';
import { FAILING_TEST, PASSING_TEST, tcrRepo, type TcrRepo } from '../testing/tcr-repo';
import { createTaskWorkspace } from '../workspace/task-workspace';
import { listTcrAttempts, restoreTcrAttempt } from './attempts';
import { runTcrCycle } from './cycle';
import { runTcrLoop } from './loop';

jest.setTimeout(90_000);
const WS = '.factory/workspaces/bd-1';

function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (f === '.git' || f.startsWith('.git/') || !statSync(path.join(dir, f)).isFile()) continue;
    out[f] = readFileSync(path.join(dir, f), 'utf8');
  }
  return out;
}

describe('listTcrAttempts and restoreTcrAttempt', () => {
  let repo: TcrRepo;
  beforeEach(async () => {
    repo = tcrRepo();
    await createTaskWorkspace(repo.root, 'bd-1');
  });
  afterEach(() => repo.cleanup());

  it('lists a reverted attempt with its files, and restores it byte for byte after setting current work aside', async () => {
    repo.write(`${WS}/src/index.js`, 'module.exports = 2;\n');
    repo.write(`${WS}/src/added.js`, 'module.exports = 3;\n');
    repo.remove(`${WS}/src/keep.js`);
    repo.write(`${WS}/test/b.test.js`, FAILING_TEST);
    const attempt = files(path.join(repo.root, WS));
    expect((await runTcrCycle({ root: repo.root, slug: 'bd-1' })).result).toBe('reverted');

    const listed = await listTcrAttempts(repo.root, 'bd-1');
    expect(listed.map((a) => [a.ref, a.files.length])).toEqual([['refs/factory/bd-1/reverted/1', 4]]);

    repo.write(`${WS}/src/other.js`, 'other work\n');
    const r = await restoreTcrAttempt(repo.root, 'bd-1', { n: 1 }, { actor: 'ann' });
    expect(r.setAside?.ref).toBe('refs/factory/bd-1/saved/1');
    expect(files(path.join(repo.root, WS))).toEqual(attempt);
    expect(repo.git('show', 'refs/factory/bd-1/saved/1:src/other.js')).toBe('other work\n');
    const last = JSON.parse(repo.read('.factory/bd-1/activity.jsonl').trim().split('\n').at(-1) as string);
    expect(last).toMatchObject({ action: 'tcr_restored', actor: 'ann', details: { attempt: 'refs/factory/bd-1/reverted/1', files: 4 } });
  });

  it('names the attempts a task has when asked for one it lacks', async () => {
    await expect(restoreTcrAttempt(repo.root, 'bd-1', { n: 3 })).rejects.toThrow(/no reverted attempt 3 \(it has none\)/);
  });
});

describe('runTcrLoop', () => {
  let repo: TcrRepo;
  beforeEach(async () => {
    repo = tcrRepo();
    await createTaskWorkspace(repo.root, 'bd-1');
  });
  afterEach(() => repo.cleanup());

  it('lets an agent change the code before each cycle until one commits', async () => {
    const seen: string[] = [];
    const o = await runTcrLoop({
      root: repo.root,
      slug: 'bd-1',
      maxAttempts: 3,
      beforeAttempt: async (n, previous) => {
        seen.push(`${n}:${previous?.result ?? '-'}`);
        repo.write(`${WS}/test/b.test.js`, n === 1 ? FAILING_TEST : PASSING_TEST);
      },
    });
    expect(seen).toEqual(['1:-', '2:reverted']);
    expect(o).toMatchObject({ result: 'committed', attempts: 2 });
  });

  it('gives up after max attempts with exit code 6', async () => {
    const o = await runTcrLoop({
      root: repo.root,
      slug: 'bd-1',
      maxAttempts: 2,
      variant: 'strict',
      beforeAttempt: async () => repo.write(`${WS}/test/b.test.js`, FAILING_TEST),
    });
    expect(o).toMatchObject({ result: 'gave_up', exitCode: 6, attempts: 2 });
    expect((await listTcrAttempts(repo.root, 'bd-1')).map((a) => a.n)).toEqual([1, 2]);
  });
});
