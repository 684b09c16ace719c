import { jest } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterGreenPipeline, stageInvocation, type EvidenceIo } from '@factory/core';
import { gitTaskRepo, type GitTaskRepo } from '../testing/git-task-repo';
import { ContractCache, contractCachePath } from './contract-cache';
import { parseContract, planned, type InferredContract, type PlannedContract } from './inferred-contract';
import { lockWaitSeconds, runnerMain } from './main';
import { contractCacheKey, readGlobalTexts, resolveTaskContract } from './task-contract';

// Real git, real processes: slow on a loaded machine.
jest.setTimeout(60_000);

const parser = async () => ({ parseContract });
const noParser = () => Promise.reject(new Error('parsed: not from the cache'));
const evidence: EvidenceIo = { actor: async () => 'dev@example.com', lifecycle: async () => ({ afterGreenPipeline }) };

const CONTRACT = `language: typescript
allowed_files: ["packages/app/**"]
pipeline:
  - { name: compile, description: compile, command: 'echo "compiled with $GREETING"', timeout_seconds: 60, required_success: true, needs: [] }
  - { name: check, description: check, command: 'true', timeout_seconds: 60, required_success: false, needs: [compile] }
`;

describe('the stage runner', () => {
  let repo: GitTaskRepo;
  let out: string;
  let parsed: number;
  const cacheFile = () => contractCachePath(path.join(repo.root, '.nx/workspace-data'));
  const main = (...args: string[]) =>
    runnerMain({
      cwd: repo.root,
      args,
      env: {},
      out: (t) => (out += t),
      err: (t) => (out += t),
      codeRoot: (root) => root,
      evidence,
      contractCache: cacheFile(),
      parser: async () => {
        parsed++;
        return { parseContract };
      },
    });
  /** Fills the cache as inference does. */
  const inferContract = () => {
    const texts = { ...readGlobalTexts(repo.root), task: readFileSync(path.join(repo.root, '.factory/bd-1/contract.yaml'), 'utf8') };
    const c = parseContract(texts.global, texts.task, '.factory/bd-1/contract.yaml', texts.config) as InferredContract;
    const cache = new ContractCache(cacheFile());
    cache.set(contractCacheKey(texts), c);
    cache.save();
    return c;
  };

  beforeEach(() => {
    repo = gitTaskRepo();
    repo.write('.factory/bd-1/contract.yaml', CONTRACT);
    repo.write('.factory/config.yaml', 'env:\n  GREETING: hello\n');
    out = '';
    parsed = 0;
  });
  afterEach(() => repo.cleanup());

  it('runs `stage <slug> <name>` from the contract inference cached, without parsing it', async () => {
    inferContract();
    expect(await main('stage', 'bd-1', 'compile')).toBe(0);
    expect(parsed).toBe(0);
    expect(readFileSync(path.join(repo.root, '.factory/bd-1/results/stage-compile.log'), 'utf8')).toContain('compiled with hello');
    expect(JSON.parse(readFileSync(path.join(repo.root, '.factory/bd-1/results/stage-compile.json'), 'utf8'))).toMatchObject({
      stage_name: 'compile',
      status: 'success',
    });
  });

  it('parses the contract when it is not in the cache (edited since, or no cache at all)', async () => {
    inferContract();
    repo.write(
      '.factory/bd-1/contract.yaml',
      readFileSync(path.join(repo.root, '.factory/bd-1/contract.yaml'), 'utf8').replace('compiled with', 'built with'),
    );
    expect(await main('stage', 'bd-1', 'compile')).toBe(0);
    expect(parsed).toBe(1);
    expect(readFileSync(path.join(repo.root, '.factory/bd-1/results/stage-compile.log'), 'utf8')).toContain('built with hello');
  });

  it('records the green pipeline with `pipeline <slug>`: the required stages come from the contract', async () => {
    inferContract();
    expect(await main('pipeline', 'bd-1')).toBe(1);
    expect(out).toContain('the pipeline is not green: compile has no passing result');
    expect(await main('stage', 'bd-1', 'compile')).toBe(0);
    expect(await main('pipeline', 'bd-1')).toBe(0);
    expect(out).toContain('pipeline green');
  });

  it("fails with the contract's own message when it is invalid, and runs nothing", async () => {
    repo.write('.factory/bd-1/contract.yaml', 'language: go\nallowed_files: 3\n');
    expect(await main('stage', 'bd-1', 'compile')).toBe(1);
    expect(out).toContain(
      "the task's contract is invalid, so nothing was run:\n.factory/bd-1/contract.yaml: allowed_files: expected a list, got 3",
    );
    expect(existsSync(path.join(repo.root, '.factory/bd-1/results/stage-compile.json'))).toBe(false);
  });

  it('names the stages the contract has when asked for one it does not have', async () => {
    expect(await main('stage', 'bd-1', 'deploy')).toBe(1);
    expect(out).toContain('the contract has no stage "deploy" (its stages: compile, check)');
  });

  it('refuses a slug that is not one, and a missing stage name, as misuse', async () => {
    expect(await main('stage', '../x', 'compile')).toBe(2);
    expect(await main('stage', 'bd-1')).toBe(2);
    expect(await main('nonsense')).toBe(2);
    expect(out).toContain('expects `stage <slug> <name> [<plan>]`');
  });

  it("runs `stage <slug> <name> <plan>` as inference writes it (the plan digest is for Nx's key), and refuses anything else there", async () => {
    inferContract();
    expect(await main('stage', 'bd-1', 'compile', '0123456789abcdef')).toBe(0);
    expect(readFileSync(path.join(repo.root, '.factory/bd-1/results/stage-compile.log'), 'utf8')).toContain('compiled with hello');
    out = '';
    expect(await main('stage', 'bd-1', 'compile', '; rm -rf /')).toBe(2);
    expect(await main('stage', 'bd-1', 'compile', '0123456789abcdef', 'extra')).toBe(2);
    expect(out).toContain('expects `stage <slug> <name> [<plan>]`');
  });

  it('fails `refused` with the reason inference put in FACTORY_REFUSAL, running nothing', async () => {
    const refused = await runnerMain({
      cwd: repo.root,
      args: ['refused'],
      env: { FACTORY_REFUSAL: '.factory/app: the project at apps/app is called "app"' },
      out: (t) => (out += t),
      err: (t) => (out += t),
      codeRoot: (root) => root,
    });
    expect(refused).toBe(1);
    expect(out).toBe('factory › .factory/app: the project at apps/app is called "app"\n');
    expect(existsSync(path.join(repo.root, '.factory/bd-1/results'))).toBe(false);
  });

  it('gives the runnable stage without what only Nx needs, with config env and coverage floor', async () => {
    const inferred = inferContract();
    const c = planned(repo.root, inferred, '.factory/bd-1/contract.yaml') as PlannedContract;
    expect(stageInvocation(c, 'bd-1', 'check')).toEqual({
      slug: 'bd-1',
      stage: { name: 'check', command: 'true', timeout_seconds: 60, required_success: false, working_directory: '.' },
      working_directory: '.',
      required_test_coverage: c.contract.required_test_coverage,
      env: { GREETING: 'hello' },
    });
    expect(stageInvocation(c, 'bd-1', 'nope')).toBeUndefined();
    expect(await resolveTaskContract(repo.root, 'bd-1', { cacheFile: cacheFile(), parser: noParser })).toEqual(inferred);
  });

  it('reports a missing contract by file', async () => {
    expect(await resolveTaskContract(repo.root, 'bd-2', { parser })).toEqual({
      error: '.factory/bd-2/contract.yaml: (document): expected a contract file, got nothing (it does not exist)',
      stageNames: [],
    });
  });
});

/** Runs stage `compile` of bd-1 in `root` with `env`; its exit code and everything it printed. */
async function compileStage(root: string, env: Record<string, string>): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runnerMain({
    cwd: root,
    args: ['stage', 'bd-1', 'compile'],
    env,
    out: (t) => (out += t),
    err: (t) => (out += t),
    codeRoot: (r) => r,
    parser,
  });
  return { code, out };
}

describe('FACTORY_LOCK_WAIT', () => {
  it('is a number of seconds from 0 to a day; anything else is a message naming the variable', () => {
    expect(lockWaitSeconds(undefined)).toBe(0);
    expect(lockWaitSeconds('')).toBe(0);
    expect(lockWaitSeconds('30')).toBe(30);
    expect(lockWaitSeconds('2.5')).toBe(2.5);
    for (const bad of ['abc', '-5', '1e9', 'NaN', '10s'])
      expect(lockWaitSeconds(bad)).toEqual(expect.stringMatching(/^FACTORY_LOCK_WAIT: expected the seconds .* got "/));
  });

  it('refuses to run a stage with a FACTORY_LOCK_WAIT that is no number (it was read as NaN: no wait at all)', async () => {
    const repo = gitTaskRepo();
    try {
      repo.write('.factory/bd-1/contract.yaml', CONTRACT);
      const { code, out } = await compileStage(repo.root, { FACTORY_LOCK_WAIT: 'abc' });
      expect(code).toBe(2);
      expect(out).toContain('FACTORY_LOCK_WAIT: expected the seconds');
      expect(existsSync(path.join(repo.root, '.factory/bd-1/results/stage-compile.json'))).toBe(false);
    } finally {
      repo.cleanup();
    }
  });
});

describe('a broken signing key', () => {
  it('stops the stage before it runs, naming the variable (a result Nx caches without its attestation could never be approved)', async () => {
    const repo = gitTaskRepo();
    try {
      repo.write('.factory/bd-1/contract.yaml', CONTRACT);
      const { code, out } = await compileStage(repo.root, { FACTORY_SIGNING_KEY: 'garbage', FACTORY_KEYRING: 'off' });
      expect(code).toBe(1);
      expect(out).toContain('the environment variable FACTORY_SIGNING_KEY: expected an Ed25519 private key');
      expect(out).toContain('the stage was not run');
      expect(out).not.toContain('garbage');
      expect(existsSync(path.join(repo.root, '.factory/bd-1/results/stage-compile.json'))).toBe(false);
    } finally {
      repo.cleanup();
    }
  });
});
