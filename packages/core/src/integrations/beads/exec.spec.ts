import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createBeadsExec, defaultBeadsExec } from './exec';

const node = process.execPath;

describe('createBeadsExec', () => {
  let dir: string;
  beforeAll(() => {
    dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'factory-beads-exec-')));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('returns the exit code, stdout and stderr separately', async () => {
    const r = await defaultBeadsExec(
      node,
      ['-e', 'process.stdout.write("[]"); process.stderr.write("Issue bd-1 not found"); process.exit(3)'],
      { cwd: dir },
    );
    expect(r).toEqual({ exitCode: 3, stdout: '[]', stderr: 'Issue bd-1 not found' });
  });

  it('runs in the given directory', async () => {
    const r = await defaultBeadsExec(node, ['-e', 'process.stdout.write(process.cwd())'], { cwd: dir });
    expect(r.stdout).toBe(dir);
  });

  it('passes each argument verbatim, without a shell', async () => {
    const hostile = '--append-notes=$(echo pwned); `id` > /tmp/x';
    const r = await defaultBeadsExec(node, ['-e', 'process.stdout.write(JSON.stringify(process.argv.slice(1)))', 'bd-1', hostile], {
      cwd: dir,
    });
    expect(JSON.parse(r.stdout)).toEqual(['bd-1', hostile]);
  });

  it('reports a program that does not exist with a null exit code and the reason', async () => {
    const r = await defaultBeadsExec('factory-no-such-bd', ['show'], { cwd: dir });
    expect(r.exitCode).toBeNull();
    expect(r.stderr).toMatch(/ENOENT/);
  });

  it('kills a program that runs past the timeout', async () => {
    const r = await createBeadsExec({ timeoutMs: 200 })(node, ['-e', 'setTimeout(() => {}, 10000)'], { cwd: dir });
    expect(r.exitCode).toBeNull();
    expect(r.stderr).toMatch(/timed out and was killed/);
  });
});
