import { unlinkSync } from 'node:fs';
import path from 'node:path';
import { removeTempDirs, tempRepo } from '../repo/__fixtures__/temp-repo';
import { codeTreeId, workingTreeId } from './tree';

afterEach(removeTempDirs);

const setup = () => {
  const repo = tempRepo();
  repo.write('src/a.ts', 'a\n');
  repo.write('docs/x.md', 'x\n');
  repo.write('.gitignore', 'dist\n');
  repo.write('.factory/t-1/contract.yaml', 'language: go\n');
  repo.commitAll('init');
  return repo;
};

describe('workingTreeId', () => {
  it('is the commit tree for a clean checkout, and leaves the index and working tree untouched', async () => {
    const repo = setup();
    repo.write('src/new.ts', 'n\n');
    const before = repo.git('status', '--porcelain');
    repo.remove('src/new.ts');
    expect(await workingTreeId(repo.dir)).toBe(repo.git('rev-parse', 'HEAD^{tree}').trim());
    repo.write('src/new.ts', 'n\n');
    await workingTreeId(repo.dir);
    expect(repo.git('status', '--porcelain')).toBe(before);
  });

  it('changes with an edit, an untracked file and a deletion, not with an ignored file', async () => {
    const repo = setup();
    const seen = new Set([await workingTreeId(repo.dir)]);
    repo.write('src/a.ts', 'a2\n');
    seen.add(await workingTreeId(repo.dir));
    repo.write('src/b.ts', 'b\n');
    seen.add(await workingTreeId(repo.dir));
    unlinkSync(path.join(repo.dir, 'docs/x.md'));
    const afterDelete = await workingTreeId(repo.dir);
    seen.add(afterDelete);
    expect(seen.size).toBe(4);
    repo.write('dist/out.js', 'ignored\n');
    expect(await workingTreeId(repo.dir)).toBe(afterDelete);
  });

  it('is the same whether a change is committed, staged or only in the working tree', async () => {
    const repo = setup();
    repo.write('src/a.ts', 'a2\n');
    const worktree = await workingTreeId(repo.dir);
    repo.git('add', '-A');
    expect(await workingTreeId(repo.dir)).toBe(worktree);
    repo.commitAll('c');
    expect(await workingTreeId(repo.dir)).toBe(worktree);
    expect(worktree).toBe(repo.git('rev-parse', 'HEAD^{tree}').trim());
  });

  it('works in a repository without a commit', async () => {
    const repo = tempRepo();
    repo.write('a.txt', 'a\n');
    const id = await workingTreeId(repo.dir);
    repo.commitAll('first');
    expect(id).toBe(repo.git('rev-parse', 'HEAD^{tree}').trim());
  });
});

describe('codeTreeId', () => {
  it('leaves Factory state out: editing .factory/ does not change it, editing code does', async () => {
    const repo = setup();
    const a = await codeTreeId(repo.dir);
    repo.write('.factory/t-1/status.yaml', 'status: failed\n');
    repo.write('.factory/t-1/contract.yaml', 'language: rust\n');
    expect(await codeTreeId(repo.dir)).toBe(a);
    repo.write('deploy.sh', 'echo\n');
    expect(await codeTreeId(repo.dir)).not.toBe(a);
  });

  it('is the same value in two clones of the same commit', async () => {
    const repo = setup();
    const other = tempRepo();
    other.git('pull', '-q', repo.dir, 'main');
    expect(await codeTreeId(other.dir)).toBe(await codeTreeId(repo.dir));
  });
});
