import { existsSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';
import { acquireTaskLock, currentTaskRun } from '@factory/core';
import { parseContract } from './inferred-contract';
import { runnerMain } from './main';

jest.setTimeout(60_000);

describe('runnerMain and the task run lock', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'factory-runner-'));
    mkdirSync(path.join(root, '.factory/bd-1'), { recursive: true });
    writeFileSync(path.join(root, '.factory/bd-1/task.yaml'), 'slug: bd-1\ntitle: t\ncreated_at: 2026-01-01T00:00:00.000Z\n');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** The task's contract: one stage per name, with its command (JSON is YAML). */
  const contract = (stages: Record<string, string>) =>
    writeFileSync(
      path.join(root, '.factory/bd-1/contract.yaml'),
      JSON.stringify({
        language: 'typescript',
        pipeline: Object.entries(stages).map(([name, command]) => ({
          name,
          description: name,
          command,
          timeout_seconds: 30,
          required_success: true,
          needs: [],
        })),
      }),
    );
  const run = (name: string, command: string, env: Record<string, string> = {}) => {
    let out = '';
    if (!existsSync(path.join(root, '.factory/bd-1/contract.yaml'))) contract({ [name]: command });
    const code = runnerMain({
      cwd: root,
      args: ['stage', 'bd-1', name],
      parser: async () => ({ parseContract }),
      env,
      out: (t) => (out += t),
      err: (t) => (out += t),
      codeRoot: (r) => r,
    });
    return code.then((c) => ({ code: c, out }));
  };

  it('lets the stages of one Nx run go in parallel, and releases the lock after them', async () => {
    const marker = path.join(root, 'both');
    // Each stage waits until the other has started: run one after the other, they would time out.
    const wait = (me: string, other: string) =>
      `node -e "const fs=require('fs');fs.writeFileSync('${path.join(root, me)}','');const t=Date.now();while(!fs.existsSync('${path.join(root, other)}')){if(Date.now()-t>20000)process.exit(3)};fs.writeFileSync('${marker}','')"`;
    contract({ lint: wait('a', 'b'), format: wait('b', 'a') });
    const [a, b] = await Promise.all([
      run('lint', wait('a', 'b'), { NX_INVOCATION_ROOT_PID: '777' }),
      run('format', wait('b', 'a'), { NX_INVOCATION_ROOT_PID: '777' }),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(existsSync(marker)).toBe(true);
    expect(currentTaskRun(root, 'bd-1')).toBeUndefined();
  });

  it('fails a stage, naming the holder, while a TCR run holds the task', async () => {
    const held = await acquireTaskLock(root, 'bd-1', { kind: 'tcr', command: 'nx run bd-1:tcr' });
    try {
      const r = await run('lint', 'true', { NX_INVOCATION_ROOT_PID: '1' });
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/factory › bd-1 › lint: task bd-1 is busy with a tcr run: "nx run bd-1:tcr" by pid \d+/);
    } finally {
      await held.release();
    }
  });

  it('waits for the task with FACTORY_LOCK_WAIT', async () => {
    const held = await acquireTaskLock(root, 'bd-1', { kind: 'tcr', command: 'tcr' });
    setTimeout(() => void held.release(), 300);
    const r = await run('lint', 'true', { FACTORY_LOCK_WAIT: '20' });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/waiting for a tcr run/);
  });
});
