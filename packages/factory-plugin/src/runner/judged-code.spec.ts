import { jest } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { acquireTaskLock, afterGreenPipeline, codeTreeId, taskCodeRoot, type EvidenceIo } from '@factory/core';
import { gitTaskRepo, type GitTaskRepo } from '../testing/git-task-repo';
import { parseContract } from './inferred-contract';
import { startStageFacts } from './judged-code';
import { runnerMain } from './main';

jest.setTimeout(60_000);

// The script the published package ships.
const codeHash = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/code-hash.sh');
const scratches = () => readdirSync(tmpdir()).filter((f) => f.startsWith('factory-stage-facts-')).length;

describe('startStageFacts (bin/code-hash.sh stage)', () => {
  let repo: GitTaskRepo;
  let base: string;
  const wsPath = '.factory/workspaces/bd-1';
  beforeEach(() => {
    repo = gitTaskRepo();
    repo.git('config', 'user.email', 't@t');
    // Its .factory is committed, as a team keeps it: the copy of the index must leave it out.
    base = repo.git('rev-parse', 'HEAD').trim();
    repo.write('.factory/bd-1/task.yaml', `slug: bd-1\ntitle: t\nbase_commit: ${base}\nworkspace:\n  backend: git\n  path: ${wsPath}\n`);
  });
  afterEach(() => repo.cleanup());

  /**
   * The script's answers are core's: where the code is, its tree, and git's user.email. Its
   * scratch directory goes in a temporary directory of this test's own (TMPDIR), so that stages
   * other processes run meanwhile do not count.
   */
  const agree = async () => {
    const own = mkdtempSync(path.join(tmpdir(), 'judged-code-spec-'));
    const tmp = process.env.TMPDIR;
    process.env.TMPDIR = own;
    try {
      return await agreeIn();
    } finally {
      if (tmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmp;
      rmSync(own, { recursive: true, force: true });
    }
  };
  const agreeIn = async () => {
    const before = scratches();
    const facts = startStageFacts(codeHash, repo.root, 'bd-1');
    const judged = await facts?.judged;
    const root = taskCodeRoot(repo.root, 'bd-1');
    expect(judged?.root).toBe(root);
    expect(await judged?.tree).toBe(await codeTreeId(root));
    expect(await facts?.email).toBe('t@t');
    await new Promise((r) => setTimeout(r, 50));
    expect(scratches()).toBe(before); // its index copies are gone
    return { root, tree: await judged?.tree };
  };

  it('judges the main tree (its index copied here without .factory) until the workspace has work, then the workspace', async () => {
    const clean = await agree();
    expect(clean.tree).not.toBe(repo.git('rev-parse', 'HEAD^{tree}').trim()); // HEAD's tree has .factory
    repo.write('src/index.js', 'module.exports = 2;\n');
    repo.write('src/new.js', 'n\n');
    repo.write('.factory/bd-1/status.yaml', 'status: in_progress\n');
    const edited = await agree();
    expect(edited.tree).not.toBe(clean.tree);
    repo.git('worktree', 'add', '-q', '-b', 'factory/bd-1', wsPath);
    expect((await agree()).root).toBe(repo.root); // idle workspace
    repo.write(`${wsPath}/src/index.js`, 'module.exports = 3;\n');
    const inWorkspace = await agree();
    expect(inWorkspace.root).toBe(path.join(repo.root, wsPath));
  });

  it('is undefined for a task.yaml whose workspace cannot be read', () => {
    repo.write('.factory/bd-1/task.yaml', 'slug: bd-1\nworkspace: [\n');
    expect(startStageFacts(codeHash, repo.root, 'bd-1')).toBeUndefined();
  });
});

describe('the stage runner with what it found as it started', () => {
  let repo: GitTaskRepo;
  beforeEach(() => {
    repo = gitTaskRepo();
    repo.git('config', 'user.email', 't@t');
  });
  afterEach(() => repo.cleanup());
  const evidence: EvidenceIo = { actor: async () => 't@t', lifecycle: async () => ({ afterGreenPipeline }) };
  const run = (early: ReturnType<typeof startStageFacts>) =>
    runnerMain({
      cwd: repo.root,
      args: ['stage', 'bd-1', 'unit-test'],
      env: {},
      out: () => undefined,
      err: () => undefined,
      codeRoot: taskCodeRoot,
      early,
      evidence,
      parser: async () => ({ parseContract }),
    });
  const recorded = () => JSON.parse(readFileSync(path.join(repo.root, '.factory/bd-1/results/stage-unit-test.json'), 'utf8')).code_tree;

  it('records the tree it found when no other run took the lock since, and takes it again when one did', async () => {
    const early = startStageFacts(codeHash, repo.root, 'bd-1');
    expect(await run(early)).toBe(0);
    expect(recorded()).toBe(await codeTreeId(repo.root));
    // Found, then a TCR round changes the code under the lock before this stage takes it.
    const stale = startStageFacts(codeHash, repo.root, 'bd-1');
    await (
      await stale?.judged
    )?.tree;
    const tcr = await acquireTaskLock(repo.root, 'bd-1', { kind: 'tcr', command: 'tcr' });
    repo.write('src/index.js', 'module.exports = "changed by the round";\n');
    await tcr.release();
    expect(await run(stale)).toBe(0);
    expect(await (await stale?.judged)?.tree).not.toBe(recorded());
    expect(recorded()).toBe(await codeTreeId(repo.root));
  });
});
