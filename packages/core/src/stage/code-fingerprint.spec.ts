import path from 'node:path';
import fs from 'node:fs';
import { removeTempDirs, tempRepo } from '../repo/__fixtures__/temp-repo';
import { workingTreeFingerprint } from './code-fingerprint';

afterEach(removeTempDirs);

describe('workingTreeFingerprint', () => {
  const setup = () => {
    const repo = tempRepo();
    repo.write('src/a.ts', 'a\n');
    repo.write('.gitignore', 'ignored/\n');
    repo.commitAll('base');
    return repo;
  };

  it('is stable while nothing changes', async () => {
    const repo = setup();
    expect(await workingTreeFingerprint(repo.dir)).toBe(await workingTreeFingerprint(repo.dir));
    expect(await workingTreeFingerprint(repo.dir)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with an edit, an untracked file and its content, anywhere in the code, and a commit', async () => {
    const repo = setup();
    const seen = new Set([await workingTreeFingerprint(repo.dir)]);
    const step = async (act: () => void) => {
      act();
      const f = await workingTreeFingerprint(repo.dir);
      expect(seen.has(f)).toBe(false);
      seen.add(f);
    };
    await step(() => repo.write('src/a.ts', 'b\n'));
    const edited = await workingTreeFingerprint(repo.dir);
    repo.git('add', 'src/a.ts');
    expect(await workingTreeFingerprint(repo.dir)).toBe(edited); // staging changes no file
    await step(() => repo.write('elsewhere/new.txt', 'x\n'));
    await step(() => repo.write('elsewhere/new.txt', 'y\n'));
    await step(() => repo.commitAll('commit'));
  });

  it('ignores ignored files and Factory state under .factory/', async () => {
    const repo = setup();
    const before = await workingTreeFingerprint(repo.dir);
    repo.write('ignored/x.txt', 'x\n');
    repo.write('.factory/t1/results/stage-contract.json', '{}\n');
    repo.write('.factory/t1/contract.yaml', 'language: go\n');
    expect(await workingTreeFingerprint(repo.dir)).toBe(before);
  });

  it('works in a repository without a commit', async () => {
    const repo = tempRepo();
    repo.write('a.txt', 'a\n');
    const a = await workingTreeFingerprint(repo.dir);
    fs.writeFileSync(path.join(repo.dir, 'a.txt'), 'b\n');
    expect(await workingTreeFingerprint(repo.dir)).not.toBe(a);
  });
});
