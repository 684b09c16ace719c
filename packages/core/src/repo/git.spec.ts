import { FactoryError } from '../domain/errors';
import { removeTempDirs, tempDir, tempRepo } from './__fixtures__/temp-repo';
import { checkGit, formatGitCommand, runGit } from './git';

afterEach(removeTempDirs);

describe('runGit', () => {
  it('returns stdout, stderr and the exit code of a successful command', async () => {
    const repo = tempRepo();
    const r = await runGit(['rev-parse', '--is-inside-work-tree'], { cwd: repo.dir });
    expect(r).toEqual({ stdout: 'true\n', stderr: '', exitCode: 0 });
  });

  it("throws a VCS error naming the command and the first line of git's stderr", async () => {
    const repo = tempRepo();
    const e = await runGit(['rev-parse', '--verify', 'no-such-ref'], { cwd: repo.dir }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FactoryError);
    expect((e as FactoryError).code).toBe('VCS');
    expect((e as FactoryError).message).toBe(
      `git rev-parse --verify no-such-ref failed in ${repo.dir} (exit 128): fatal: Needed a single revision`,
    );
  });

  it('resolves with an allowed non-zero exit code', async () => {
    const repo = tempRepo();
    const r = await runGit(['rev-parse', '--verify', '--quiet', 'no-such-ref'], { cwd: repo.dir, allowExitCodes: [1] });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
  });

  it('writes input to stdin', async () => {
    const repo = tempRepo();
    const r = await runGit(['hash-object', '--stdin'], { cwd: repo.dir, input: 'hello\n' });
    expect(r.stdout.trim()).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
  });

  it('passes extra environment variables to git', async () => {
    const repo = tempRepo();
    const r = await runGit(['var', 'GIT_AUTHOR_IDENT'], { cwd: repo.dir, env: { GIT_AUTHOR_NAME: 'Env Name' } });
    expect(r.stdout.startsWith('Env Name <test@example.com>')).toBe(true);
  });

  it('prints non-ASCII paths unquoted', async () => {
    const repo = tempRepo();
    repo.write('café.txt', 'x\n');
    const r = await runGit(['ls-files', '--others'], { cwd: repo.dir });
    expect(r.stdout).toBe('café.txt\n');
  });

  it('throws a VCS error when the directory does not exist', async () => {
    const missing = `${tempDir()}/missing`;
    await expect(runGit(['status'], { cwd: missing })).rejects.toMatchObject({
      code: 'VCS',
      message: expect.stringContaining(`could not run git status in ${missing}`),
    });
  });
});

describe('formatGitCommand', () => {
  it('quotes arguments holding spaces or special characters', () => {
    expect(formatGitCommand(['diff', '--numstat', 'HEAD^{commit}', '--', 'a b.txt'])).toBe('git diff --numstat HEAD^{commit} -- "a b.txt"');
  });
});

describe('checkGit', () => {
  it('returns the installed version', async () => {
    const r = await checkGit();
    expect(r.ok && /^\d+\.\d+/.test(r.value)).toBe(true);
  });
});
