import path from 'node:path';
import { jest } from '@jest/globals';
import { tcrRepo, type TcrRepo } from '../testing/tcr-repo';
import { GitWorktreeBackend } from './git-backend';
import { gitDirsOf, headFromFiles, highestRefNumber } from './git-files';

jest.setTimeout(60_000);

describe('git files', () => {
  let repo: TcrRepo;
  let dir: string;
  beforeEach(async () => {
    repo = tcrRepo();
    dir = path.join(repo.root, '.factory/workspaces/bd-1');
    await new GitWorktreeBackend(repo.root).create({ slug: 'bd-1', dir, base: 'HEAD' });
  });
  afterEach(() => repo.cleanup());

  it("finds a worktree's git and common directories and its HEAD as git does", () => {
    const dirs = gitDirsOf(dir);
    expect(dirs).toEqual({ gitDir: path.join(repo.root, '.git/worktrees/bd-1'), commonDir: path.join(repo.root, '.git') });
    expect(headFromFiles(dirs!)).toBe(repo.gitIn('.factory/workspaces/bd-1', 'rev-parse', 'HEAD').trim());
    expect(gitDirsOf(repo.root)).toEqual({ gitDir: path.join(repo.root, '.git'), commonDir: path.join(repo.root, '.git') });
  });

  it('gives up on packed refs (the caller asks git), and the backend still finds HEAD', async () => {
    repo.git('pack-refs', '--all');
    expect(headFromFiles(gitDirsOf(dir)!)).toBeUndefined();
    expect(await new GitWorktreeBackend(repo.root).head({ slug: 'bd-1', dir })).toBe(repo.git('rev-parse', 'factory/bd-1').trim());
  });

  it('counts saved refs both loose and packed', () => {
    const head = repo.git('rev-parse', 'HEAD').trim();
    repo.git('update-ref', 'refs/factory/bd-1/reverted/7', head);
    repo.git('pack-refs', '--all');
    repo.git('update-ref', 'refs/factory/bd-1/reverted/3', head);
    expect(highestRefNumber(gitDirsOf(repo.root)!, 'refs/factory/bd-1/reverted/')).toBe(7);
    expect(highestRefNumber(gitDirsOf(repo.root)!, 'refs/factory/bd-1/saved/')).toBe(0);
  });
});
