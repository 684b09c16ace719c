import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runFile, runShellCommand } from './run';

const alive = (pattern: string): boolean => {
  try {
    execFileSync('pgrep', ['-f', pattern]);
    return true;
  } catch {
    return false;
  }
};

describe('runShellCommand', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'factory-run-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('captures stdout and stderr interleaved and the exit code', async () => {
    const chunks: string[] = [];
    const r = await runShellCommand('echo out; echo err >&2; exit 3', { cwd: dir, onOutput: (c) => chunks.push(c) });
    expect(r.exitCode).toBe(3);
    expect(r.output).toBe('out\nerr\n');
    expect(chunks.join('')).toBe('out\nerr\n');
    expect(r.timedOut).toBe(false);
  });

  it('runs in the given directory with extra environment variables', async () => {
    const r = await runShellCommand('pwd; echo "$FACTORY_SLUG"', { cwd: dir, env: { FACTORY_SLUG: 'bd-1.2' } });
    expect(r.output.trim().split('\n')).toEqual([dir, 'bd-1.2']);
  });

  it('does not interpolate environment values into the shell', async () => {
    const r = await runShellCommand('echo "$X"', { cwd: dir, env: { X: '$(echo pwned); `id`' } });
    expect(r.output).toBe('$(echo pwned); `id`\n');
  });

  it('kills the whole process tree on timeout, grandchildren included', async () => {
    const marker = `sleep 3${Math.floor(Math.random() * 1000 + 100)}`;
    const r = await runShellCommand(`sh -c "${marker} & ${marker}"`, { cwd: dir, timeoutMs: 500, killGraceMs: 200 });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBeNull();
    await new Promise((res) => setTimeout(res, 300));
    expect(alive(marker)).toBe(false);
  });

  it('kills processes the command left running in the background when it exits', async () => {
    const marker = `sleep 4${Math.floor(Math.random() * 1000 + 100)}`;
    const r = await runShellCommand(`${marker} & echo started`, { cwd: dir });
    expect(r.exitCode).toBe(0);
    await new Promise((res) => setTimeout(res, 200));
    expect(alive(marker)).toBe(false);
  });

  it('stops on abort', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const r = await runShellCommand('sleep 30', { cwd: dir, signal: ac.signal, killGraceMs: 100 });
    expect(r.aborted).toBe(true);
    expect(r.exitCode).toBeNull();
  });

  it('truncates the captured output but still streams all of it', async () => {
    let streamed = 0;
    const r = await runShellCommand('head -c 100000 /dev/zero | tr "\\0" x', {
      cwd: dir,
      maxCapture: 1000,
      onOutput: (c) => (streamed += c.length),
    });
    expect(r.output.length).toBe(1000);
    expect(r.truncated).toBe(true);
    expect(streamed).toBe(100000);
  });
});

describe('runFile', () => {
  it('passes arguments without a shell', async () => {
    const r = await runFile('printf', ['%s|', 'a b', '$(x)', ';'], { cwd: tmpdir() });
    expect(r.output).toBe('a b|$(x)|;|');
  });

  it('reports a program that cannot be started', async () => {
    const r = await runFile('definitely-not-a-program-xyz', [], { cwd: tmpdir() });
    expect(r.exitCode).toBeNull();
    expect(r.spawnError).toMatch(/ENOENT|not found/);
  });
});
