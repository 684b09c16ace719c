import { removeTempDirs, tempRepo } from './__fixtures__/temp-repo';
import { currentCommit, isClean, resolveBase } from './commits';

afterEach(removeTempDirs);

describe('resolveBase', () => {
  it('resolves a branch, a tag and a short id to the full commit id', async () => {
    const repo = tempRepo();
    repo.write('a.txt', 'a\n');
    const sha = repo.commitAll();
    repo.git('tag', 'v1');
    expect(await resolveBase(repo.dir, 'main')).toBe(sha);
    expect(await resolveBase(repo.dir, 'v1')).toBe(sha);
    expect(await resolveBase(repo.dir, sha.slice(0, 8))).toBe(sha);
  });

  it('throws BASE_COMMIT naming a base that names no commit', async () => {
    const repo = tempRepo();
    repo.write('a.txt', 'a\n');
    repo.commitAll();
    const blob = repo.git('rev-parse', 'HEAD:a.txt').trim();
    for (const base of ['no-such-branch', blob, '--all', '']) {
      await expect(resolveBase(repo.dir, base)).rejects.toMatchObject({
        code: 'BASE_COMMIT',
        message: expect.stringContaining(`expected the base ${JSON.stringify(base)} to name a commit`),
      });
    }
  });
});

describe('currentCommit', () => {
  it('returns the id of HEAD', async () => {
    const repo = tempRepo();
    const sha = repo.commitAll();
    expect(await currentCommit(repo.dir)).toBe(sha);
  });

  it('throws a VCS error in a repository without commits', async () => {
    const repo = tempRepo();
    await expect(currentCommit(repo.dir)).rejects.toMatchObject({ code: 'VCS', message: expect.stringContaining('commit once first') });
  });
});

describe('isClean', () => {
  it('is true right after a commit, ignored files included', async () => {
    const repo = tempRepo();
    repo.write('.gitignore', '*.log\n');
    repo.commitAll();
    repo.write('build.log', 'x\n');
    expect(await isClean(repo.dir)).toBe(true);
  });

  it('is false with an untracked file', async () => {
    const repo = tempRepo();
    repo.commitAll();
    repo.write('new.txt', 'x\n');
    expect(await isClean(repo.dir)).toBe(false);
  });

  it('is false with a staged change', async () => {
    const repo = tempRepo();
    repo.write('a.txt', 'a\n');
    repo.commitAll();
    repo.write('a.txt', 'b\n');
    repo.git('add', 'a.txt');
    expect(await isClean(repo.dir)).toBe(false);
  });
});
