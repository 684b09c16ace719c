import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gitRun } from './git-run';

describe('gitRun', () => {
  let dir: string;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'factory-gitrun-'));
    await gitRun(['init', '-q'], { cwd: dir });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('passes input on stdin and returns the output', async () => {
    const r = await gitRun(['hash-object', '--stdin'], { cwd: dir, input: 'hello\n' });
    expect(r).toEqual({ stdout: 'ce013625030ba8dba906f756967f9e9ca394464a\n', stderr: '', exitCode: 0 });
  });

  it('names the command, the directory, the exit code and git’s message on failure', async () => {
    await expect(gitRun(['rev-parse', '--verify', 'nope'], { cwd: dir })).rejects.toThrow(`git rev-parse --verify nope failed in ${dir} (exit 128): fatal: Needed a single revision`);
  });

  it('returns allowed exit codes as answers', async () => {
    expect((await gitRun(['rev-parse', '--verify', '--quiet', 'nope'], { cwd: dir, allowExitCodes: [1] })).exitCode).toBe(1);
  });

  it('reports a directory that does not exist', async () => {
    await expect(gitRun(['status'], { cwd: path.join(dir, 'missing') })).rejects.toThrow(/could not run git status in .*missing/);
  });
});
