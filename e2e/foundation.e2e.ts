import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { rootCertificates } from 'node:tls';
import { jest } from '@jest/globals';
import { parse, stringify } from 'yaml';
import { newWorkspace, type TestWorkspace } from './utils/workspace';

jest.setTimeout(600_000);

const setContract = (ws: TestWorkspace, slug: string, patch: Record<string, unknown>) => {
  const file = `.factory/${slug}/contract.yaml`;
  ws.write(file, stringify({ ...(parse(ws.read(file)) ?? {}), ...patch }));
};

/** A full cache hit: every stage and the pipeline target itself came from the cache. */
const allStagesCached = (out: string) => {
  const m = /Nx read the output from the cache instead of running the command for (\d+) out of (\d+) tasks/.exec(out);
  return Boolean(m && Number(m[1]) === Number(m[2]) && Number(m[1]) > 0);
};

const CHAIN = [
  { name: 'compile', description: 'compile', command: 'npx tsc -p packages/app --noEmit', timeout_seconds: 120, required_success: true },
  {
    name: 'check',
    description: 'check',
    command: "node -e \"require('fs').readFileSync('packages/app/src/index.ts')\"",
    timeout_seconds: 60,
    required_success: true,
    needs: ['compile'],
  },
];

describe('foundation: tasks are Nx projects with cached stage targets', () => {
  let ws: TestWorkspace;
  beforeAll(async () => {
    ws = await newWorkspace();
  });
  afterAll(() => ws?.cleanup());

  it('nx g factory:task creates a task whose targets appear at once', async () => {
    const g = await ws.nx(['g', 'factory:task', 'bd-77.1', '--no-interactive']);
    expect(g.code).toBe(0);
    const projects = await ws.nx(['show', 'projects']);
    expect(projects.out.split('\n')).toContain('bd-77.1');
    const show = await ws.nx(['show', 'project', 'bd-77.1', '--json']);
    const targets = JSON.parse(show.out).targets as Record<string, { dependsOn?: string[]; metadata?: { description?: string } }>;
    expect(Object.keys(targets)).toEqual(expect.arrayContaining(['stage-implement', 'stage-unit-test', 'stage-lint', 'pipeline']));
    // A stage depends on another only when it uses its output: coverage reads the unit-test run's figure.
    expect(targets['stage-unit-test'].dependsOn).toBeUndefined();
    expect(targets['stage-coverage'].dependsOn).toEqual(['stage-unit-test']);
    for (const t of Object.values(targets)) expect(t.metadata?.description).toBeTruthy();
  });

  it.each(['../x', 'a b', '.hidden', 'x/../../y'])('rejects the slug %j and writes nothing', async (slug) => {
    const before = await ws.git(['status', '--porcelain']);
    const g = await ws.nx(['g', 'factory:task', slug, '--no-interactive']);
    expect(g.code).not.toBe(0);
    expect(g.out).toMatch(/--slug: expected a task slug/);
    expect(await ws.git(['status', '--porcelain'])).toBe(before);
  });

  it('keeps the graph working when one contract is broken, and names its file and field', async () => {
    await ws.nx(['g', 'factory:task', 'bd-good', '--no-interactive']);
    // The commands name paths from the root: without working_directory they would run in packages/app (its manifest).
    setContract(ws, 'bd-good', { pipeline: CHAIN, working_directory: '.' });
    ws.write('.factory/bd-bad/contract.yaml', 'language: go\nallowed_files: 3\n');
    ws.write('.factory/bd-yaml/contract.yaml', 'language: [go\nallowed_files: 3\n');
    const projects = await ws.nx(['show', 'projects']);
    expect(projects.code).toBe(0);
    expect(projects.out.split('\n')).toEqual(expect.arrayContaining(['bd-good', 'bd-bad', 'bd-yaml']));
    const bad = await ws.nx(['run', 'bd-bad:stage-implement']);
    expect(bad.code).not.toBe(0);
    expect(bad.out).toContain('.factory/bd-bad/contract.yaml: allowed_files: expected a list, got 3');
    const yaml = await ws.nx(['run', 'bd-yaml:stage-implement']);
    expect(yaml.out).toMatch(/\.factory\/bd-yaml\/contract\.yaml: line \d+, column \d+: expected valid YAML/);
    const good = await ws.nx(['run', 'bd-good:stage-check']);
    expect(good.code).toBe(0);
    execFileSync('rm', ['-rf', `${ws.root}/.factory/bd-bad`, `${ws.root}/.factory/bd-yaml`]);
  });

  it('caches the pipeline: a second run is a full cache hit that restores deleted results', async () => {
    const first = await ws.nx(['run', 'bd-good:pipeline']);
    expect(first.code).toBe(0);
    expect(ws.exists('.factory/bd-good/results/stage-check.json')).toBe(true);
    execFileSync('rm', ['-rf', `${ws.root}/.factory/bd-good/results`]);
    const second = await ws.nx(['run', 'bd-good:pipeline']);
    expect(second.code).toBe(0);
    expect(allStagesCached(second.out)).toBe(true);
    const result = JSON.parse(ws.read('.factory/bd-good/results/stage-check.json'));
    expect(result).toMatchObject({ stage_name: 'check', slug: 'bd-good', status: 'success', exit_code: 0 });
  });

  it('runs the stages again when an allowed source file changes', async () => {
    setContract(ws, 'bd-good', { allowed_files: ['packages/app/**'] });
    await ws.nx(['run', 'bd-good:pipeline']);
    const cached = await ws.nx(['run', 'bd-good:pipeline']);
    expect(allStagesCached(cached.out)).toBe(true);
    ws.write('packages/app/src/index.ts', `${ws.read('packages/app/src/index.ts')}export const x = 1;\n`);
    const rerun = await ws.nx(['run', 'bd-good:pipeline']);
    expect(rerun.code).toBe(0);
    expect(allStagesCached(rerun.out)).toBe(false);
    expect(rerun.out).toContain('factory › bd-good › compile passed');
  });

  it('selects exactly the tasks whose allowed files cover a changed project with nx affected', async () => {
    await ws.nx(['g', 'factory:task', 'bd-78.1', '--no-interactive', '--allowed-files=packages/app/**']);
    await ws.nx(['g', 'factory:task', 'bd-79.1', '--no-interactive', '--allowed-files=docs/**']);
    const aff = await ws.nx(['show', 'projects', '--affected', '--files=packages/app/src/index.ts']);
    const names = aff.out.split('\n');
    expect(names).toContain('bd-78.1');
    expect(names).not.toContain('bd-79.1');
  });

  it("gives a stage's command NODE_EXTRA_CA_CERTS as the user set it (the runner itself starts without reading it)", async () => {
    const ca = path.join(ws.root, 'extra-ca.pem');
    ws.write('extra-ca.pem', `${rootCertificates[0]}\n`);
    setContract(ws, 'bd-78.1', {
      pipeline: [
        {
          name: 'env',
          description: 'prints the variable',
          command: 'echo "ca=[$NODE_EXTRA_CA_CERTS] saved=[${FACTORY_NODE_EXTRA_CA_CERTS-unset}]"',
          timeout_seconds: 30,
          required_success: true,
        },
      ],
    });
    const r = await ws.nx(['run', 'bd-78.1:stage-env', '--skip-nx-cache'], { NODE_EXTRA_CA_CERTS: ca });
    expect(r.code).toBe(0);
    expect(ws.read('.factory/bd-78.1/results/stage-env.log')).toContain(`ca=[${ca}] saved=[unset]`);
    const unset = await ws.nx(['run', 'bd-78.1:stage-env', '--skip-nx-cache'], { NODE_EXTRA_CA_CERTS: undefined });
    expect(unset.code).toBe(0);
    expect(ws.read('.factory/bd-78.1/results/stage-env.log')).toContain('ca=[] saved=[unset]');
  });

  it('kills a stage that exceeds its timeout together with its grandchildren', async () => {
    const marker = `sleep 30${Math.floor(Math.random() * 90 + 10)}`;
    setContract(ws, 'bd-78.1', {
      pipeline: [
        { name: 'hang', description: 'hangs', command: `sh -c "${marker} & ${marker}"`, timeout_seconds: 2, required_success: true },
      ],
    });
    const r = await ws.nx(['run', 'bd-78.1:stage-hang']);
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('timed out after 2s');
    const result = JSON.parse(ws.read('.factory/bd-78.1/results/stage-hang.json'));
    expect(result).toMatchObject({ status: 'failure', timed_out: true });
    let alive = true;
    try {
      execFileSync('pgrep', ['-f', marker]);
    } catch {
      alive = false;
    }
    expect(alive).toBe(false);
  });
});
