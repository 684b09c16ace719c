import { jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifyAuditTrails } from '../audit/verify-all';
import { loadRolloutConfig } from '../rollout/load-config';
import { advanceRollout } from '../rollout/rollout';
import { loadRolloutState, readServedPercent } from '../rollout/state';
import { loadTask } from '../store/load';
import { parseYaml } from '../store/yaml';
import { makeTaskRepo, type TaskRepo } from '../testing/task-repo';

jest.setTimeout(90_000);

const here = path.dirname(fileURLToPath(import.meta.url));
const child = path.join(here, '../testing/crash-child.ts');
const CONFIG = `rollout:\n  health:\n    command: printf '{"error_rate":0,"latency_ms":1}'\n`;

/** Starts the looping child, lets it run `ms` after it is ready, then SIGKILLs it. Returns what it printed. */
function runAndKill(root: string, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['-r', '@swc-node/register', child, root, 'bd-1'], {
      cwd: path.join(here, '../..'),
      env: { ...process.env, SWC_NODE_PROJECT: path.join(here, '../../tsconfig.lib.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let timer: NodeJS.Timeout | undefined;
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!timer && out.includes('ready')) timer = setTimeout(() => p.kill('SIGKILL'), ms);
    });
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('exit', (code, signal) =>
      signal === 'SIGKILL' ? resolve(out) : reject(new Error(`the child ended by itself (${code}): ${out}`)),
    );
  });
}

/** Every state file of the task parses, and every audit chain verifies. */
function expectConsistent(repo: TaskRepo): void {
  expect(loadTask(repo.root, 'bd-1').errors).toEqual([]);
  expect(loadRolloutState(repo.root, 'bd-1').errors).toEqual([]);
  // A file may not exist yet (killed before its first write); one that exists must be whole.
  const flags = path.join(repo.root, '.factory/bd-1/feature-flags.json');
  if (existsSync(flags)) expect(readServedPercent(repo.root, 'bd-1')).toEqual(expect.any(Number));
  const metrics = path.join(repo.root, '.factory/bd-1/metrics.yaml');
  if (existsSync(metrics)) expect(parseYaml(readFileSync(metrics, 'utf8'), 'metrics.yaml').errors).toEqual([]);
  const status = loadTask(repo.root, 'bd-1').value?.status;
  if (status === 'deployed_to_staging' || status === 'deployed_to_production') expect(existsSync(flags)).toBe(true);
  const audit = verifyAuditTrails(repo.root);
  expect(audit.chains.filter((c) => !c.ok).map((c) => c.problem?.message)).toEqual([]);
}

describe('a SIGKILL during approve or rollout', () => {
  let repo: TaskRepo;
  beforeAll(async () => {
    repo = makeTaskRepo('bd-1', [{ name: 'compile', command: 'true' }], { config: CONFIG });
    await repo.runPipeline();
  });
  afterAll(() => repo.cleanup());

  it.each([700, 1900, 3100])(
    'leaves every state file parseable and the audit chain verifiable (killed %d ms in)',
    async (ms) => {
      const out = await runAndKill(repo.root, ms);
      expect(out).toContain('ready');
      expectConsistent(repo);
    },
    90_000,
  );

  it("and the next command recovers (after the dead process's locks go stale)", async () => {
    const status = loadTask(repo.root, 'bd-1').value?.status;
    const ctx = { root: repo.root, slug: 'bd-1', actor: 'ops@example.com', config: loadRolloutConfig(repo.root) };
    if (status === 'deploying' || status === 'deployed_to_staging' || status === 'deployed_to_production') {
      expect((await advanceRollout(ctx, { abort: true })).status).toBe('reverted');
    }
    expectConsistent(repo);
  }, 60_000);
});
