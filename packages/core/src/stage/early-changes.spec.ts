import { realpathSync } from 'node:fs';
import { stringify } from 'yaml';
import { changedFiles } from '../repo/changes';
import { removeTempDirs } from '../repo/__fixtures__/temp-repo';
import { SLUG, taskRepo } from './builtins/__fixtures__/task-repo';
import { earlyChangesFor, startEarlyChanges } from './early-changes';

afterEach(removeTempDirs);

describe('early changes', () => {
  it("diffs the task's code against the base commit task.yaml names, as the contract stage would", async () => {
    const repo = taskRepo();
    repo.write('src/app.ts', 'export const app = 2;\n');
    repo.write('src/new.ts', 'n\n');
    const early = startEarlyChanges(repo.dir, repo.dir, SLUG);
    const gitRoot = realpathSync(repo.dir);
    expect(early?.gitRoot).toBe(gitRoot);
    expect(await early?.sha).toBe(repo.base);
    expect(await early?.changes).toEqual(await changedFiles(gitRoot, repo.base));
    expect(await earlyChangesFor(early, gitRoot, repo.base)).toBe(early);
  });

  it('is not used for another base or another repository', async () => {
    const repo = taskRepo();
    const early = startEarlyChanges(repo.dir, repo.dir, SLUG);
    const gitRoot = realpathSync(repo.dir);
    expect(await earlyChangesFor(early, gitRoot, '0'.repeat(40))).toBeUndefined();
    expect(await earlyChangesFor(early, '/elsewhere', repo.base)).toBeUndefined();
    expect(await earlyChangesFor(undefined, gitRoot, repo.base)).toBeUndefined();
  });

  it('leaves a base it cannot read without YAML to the stage, and uses HEAD when there is none', async () => {
    const repo = taskRepo();
    repo.write(
      `.factory/${SLUG}/task.yaml`,
      stringify({ slug: SLUG, title: 't', created_at: '2026-01-01T00:00:00.000Z', base_commit: 'main' }),
    );
    expect(startEarlyChanges(repo.dir, repo.dir, SLUG)).toBeUndefined();
    repo.write(`.factory/${SLUG}/task.yaml`, stringify({ slug: SLUG, title: 't', created_at: '2026-01-01T00:00:00.000Z' }));
    expect(await startEarlyChanges(repo.dir, repo.dir, SLUG)?.sha).toBe(repo.git('rev-parse', 'HEAD').trim());
  });

  it('is what the contract stage judges when it matches', async () => {
    const repo = taskRepo();
    repo.write('src/app.ts', 'export const app = 2;\n');
    const early = startEarlyChanges(repo.dir, repo.dir, SLUG);
    // A stand-in diff with the right base proves the stage takes the early one rather than diffing again.
    const planted = {
      ...(early as NonNullable<typeof early>),
      changes: Promise.resolve([{ path: 'docs/planted.md', status: 'added' as const, added: 1, removed: 0, binary: false }]),
    };
    const { result } = await repo.stage('contract', repo.dir, { changes: planted });
    expect(result.summary).toMatch(/^docs\/planted\.md: allowed_files:/);
    // Another base given: the stage resolves its own and diffs again.
    const { result: own } = await repo.stage('contract', repo.dir, {
      changes: { ...planted, given: 'main', sha: Promise.resolve('f'.repeat(40)) },
    });
    expect(own.status).toBe('success');
  });

  it('gives the contract stage its base commit, resolved once, when task.yaml names the same one', async () => {
    const repo = taskRepo();
    const early = startEarlyChanges(repo.dir, repo.dir, SLUG) as NonNullable<ReturnType<typeof startEarlyChanges>>;
    const planted = { ...early, sha: Promise.resolve('f'.repeat(40)), changes: Promise.resolve([]) };
    const { log } = await repo.stage('contract', repo.dir, { changes: planted });
    expect(log).toContain(`changes since ${'f'.repeat(12)}`);
  });
});
