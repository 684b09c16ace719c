import { chmodSync, copyFileSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';
import { parse, stringify } from 'yaml';
import { newWorkspace, type TestWorkspace } from './utils/workspace';
import { startRemoteCache } from './utils/remote-cache';

jest.setTimeout(600_000);

/** A small CommonJS module with node:test tests (the workspace's app: TypeScript, `node --test`, no linter or formatter). */
function jsTests(ws: TestWorkspace, dir: string) {
  ws.write(`${dir}/lib/sum.js`, 'exports.sum = (a, b) => a + b;\n');
  ws.write(
    `${dir}/test/sum.test.js`,
    "const test = require('node:test');\nconst assert = require('node:assert');\nconst { sum } = require('../lib/sum.js');\ntest('adds two numbers', () => assert.strictEqual(sum(2, 3), 5));\n",
  );
}

const hits = (out: string) => /Nx read the output from the cache instead of running the command for (\d+) out of (\d+) tasks/.exec(out);
const fullyCached = (out: string) => {
  const m = hits(out);
  return Boolean(m && m[1] === m[2]);
};
const result = (ws: TestWorkspace, slug: string, stage: string) => JSON.parse(ws.read(`.factory/${slug}/results/stage-${stage}.json`));

describe('verdicts: the project’s own tools, keys that are right and travel, state that follows the cache, a clean tree', () => {
  let a: TestWorkspace;
  let clone: TestWorkspace | undefined;
  beforeAll(async () => {
    a = await newWorkspace();
    jsTests(a, 'packages/app');
    await a.git(['add', '-A']);
    await a.git(['commit', '-qm', 'tests']);
    // v-1 has a workspace (idle: no work in it yet); the stages judge the main tree.
    expect((await a.nx(['g', 'factory:task', 'v-1', '--directory=packages/app', '--no-interactive'])).code).toBe(0);
    await a.git(['add', '-A']);
    await a.git(['commit', '-qm', 'task v-1']);
  });
  afterAll(() => {
    a?.cleanup();
    clone?.cleanup();
  });

  it('runs a green pipeline in a workspace without eslint, prettier or c8: the tools it lacks are "not configured", not red', async () => {
    const r = await a.nx(['run', 'v-1:pipeline']);
    if (r.code !== 0) throw new Error(r.out.slice(-5000));
    expect(result(a, 'v-1', 'lint')).toMatchObject({ status: 'skipped', summary: expect.stringMatching(/^not configured: add a linter/) });
    expect(result(a, 'v-1', 'format')).toMatchObject({
      status: 'skipped',
      summary: expect.stringMatching(/^not configured: add a formatter/),
    });
    expect(result(a, 'v-1', 'unit-test')).toMatchObject({ status: 'success', metrics: { coverage_percent: expect.any(Number) } });
    expect(result(a, 'v-1', 'coverage')).toMatchObject({ status: 'success' });
    expect(r.out).toContain('factory › v-1 › lint skipped: not configured');
  });

  it('leaves the committed tree as it was', async () => {
    expect(await a.git(['status', '--porcelain'])).toBe('');
  });

  it('misses the cache when the global config, the global contract or the task contract changes', async () => {
    await a.nx(['run', 'v-1:stage-implement']);
    for (const file of ['.factory/config.yaml', '.factory/contract.yaml', '.factory/v-1/contract.yaml']) {
      const before = a.read(file);
      a.write(file, `${before}# edited\n`);
      const r = await a.nx(['run', 'v-1:stage-implement']);
      a.write(file, before);
      expect({ file, cached: fullyCached(r.out) }).toEqual({ file, cached: false });
    }
    expect(fullyCached((await a.nx(['run', 'v-1:stage-implement'])).out)).toBe(true);
  });

  it('shares a self-hosted remote cache with a CI clone of the same commit: every stage a hit, and the clone shows the restored state', async () => {
    const cache = await startRemoteCache(path.join(a.root, '..', `${path.basename(a.root)}-remote`));
    try {
      const env = { NX_SELF_HOSTED_REMOTE_CACHE_SERVER: cache.url };
      // Nx uploads what it ran (not what --skip-nx-cache ran, nor local hits): a fresh local cache.
      const first = await a.nx(['run', 'v-1:pipeline'], { ...env, NX_CACHE_DIRECTORY: path.join(a.root, '.nx', 'cache-fresh') });
      expect(first.code).toBe(0);
      expect(cache.puts()).toBeGreaterThan(0);
      // A CI clone: no task workspace, its own local cache, the same remote.
      clone = await newWorkspace();
      await clone.run('rm', ['-rf', clone.root]);
      await a.run('git', ['clone', '-q', a.root, clone.root]);
      symlinkSync(path.join(a.root, 'node_modules'), path.join(clone.root, 'node_modules'));
      const ci = await clone.nx(['run', 'v-1:pipeline'], env);
      expect(ci.code).toBe(0);
      const m = hits(ci.out);
      expect(m && `${m[1]}/${m[2]}`).toBe(`${m?.[2]}/${m?.[2]}`);
      expect(ci.out).toContain('[remote cache]');
      const show = JSON.parse((await clone.factory(['show', 'v-1', '--json'])).out);
      expect(show).toMatchObject({ status: 'ready_for_review', overall_status: 'success' });
      expect(show.stages.find((s: { name: string }) => s.name === 'unit-test')).toMatchObject({ status: 'success' });
      expect(await clone.git(['status', '--porcelain'])).toBe('');
    } finally {
      await cache.close();
    }
  });

  it('follows a red pipeline with a cached green one: the status comes back from the results', async () => {
    const src = a.read('packages/app/lib/sum.js');
    a.write('packages/app/lib/sum.js', 'exports.sum = (a, b) => a - b;\n');
    const red = await a.nx(['run', 'v-1:pipeline']);
    expect(red.code).not.toBe(0);
    expect(JSON.parse((await a.factory(['show', 'v-1', '--json'])).out)).toMatchObject({ status: 'failed' });
    a.write('packages/app/lib/sum.js', src);
    const green = await a.nx(['run', 'v-1:pipeline']);
    expect(green.code).toBe(0);
    expect(fullyCached(green.out)).toBe(true);
    expect(JSON.parse((await a.factory(['show', 'v-1', '--json'])).out)).toMatchObject({ status: 'ready_for_review' });
  });

  it('fails a coverage stage that reads no figure, even with a floor of 0', async () => {
    const file = '.factory/v-1/contract.yaml';
    const before = a.read(file);
    a.write(
      file,
      stringify({
        ...parse(before),
        required_test_coverage: 0,
        stages: { coverage: { command: 'echo "Statements   : Unknown% ( 0/0 )"' } },
      }),
    );
    const r = await a.nx(['run', 'v-1:stage-coverage', '--skip-nx-cache']);
    a.write(file, before);
    expect(r.code).not.toBe(0);
    expect(result(a, 'v-1', 'coverage')).toMatchObject({
      status: 'failure',
      summary: expect.stringContaining('could not read a coverage figure'),
    });
  });

  it('runs a task named only by its allowed files where its manifest is', async () => {
    a.write('packages/lib/package.json', '{ "name": "lib", "version": "1.0.0", "scripts": { "test": "node --test" } }\n');
    a.write('packages/lib/fixture.txt', 'here\n');
    a.write(
      'packages/lib/test/fixture.test.js',
      "const test = require('node:test');\nconst assert = require('node:assert');\nconst fs = require('node:fs');\ntest('reads its fixture', () => assert.strictEqual(fs.readFileSync('fixture.txt', 'utf8'), 'here\\n'));\n",
    );
    const g = await a.nx(['g', 'factory:task', 'v-3', '--allowed-files=packages/lib/**', '--skip-workspace', '--no-interactive']);
    expect(g.out).toContain('runs in packages/lib (packages/lib/package.json covers the allowed files)');
    const r = await a.nx(['run', 'v-3:stage-unit-test']);
    if (r.code !== 0) throw new Error(r.out.slice(-3000));
  });

  it('misses the cache when a workspace package the code depends on changes, and one that package depends on', async () => {
    // packages/use imports `dep`, which imports `dep2`: npm workspace links, as `npm install` makes them.
    a.write('packages/dep2/package.json', '{ "name": "dep2", "version": "1.0.0", "main": "index.js" }\n');
    a.write('packages/dep2/index.js', 'exports.plus = (a, b) => a + b;\n');
    a.write('packages/dep/package.json', '{ "name": "dep", "version": "1.0.0", "main": "index.js", "dependencies": { "dep2": "*" } }\n');
    a.write('packages/dep/index.js', "exports.add = (a, b) => require('dep2').plus(a, b);\n");
    a.write(
      'packages/use/package.json',
      '{ "name": "use", "version": "1.0.0", "dependencies": { "dep": "*" }, "scripts": { "test": "node --test" } }\n',
    );
    a.write(
      'packages/use/test/use.test.js',
      "const test = require('node:test');\nconst assert = require('node:assert');\nconst { add } = require('dep');\ntest('adds through dep', () => assert.strictEqual(add(2, 2), 4));\n",
    );
    symlinkSync('../packages/dep', path.join(a.root, 'node_modules/dep'));
    symlinkSync('../packages/dep2', path.join(a.root, 'node_modules/dep2'));
    expect((await a.nx(['g', 'factory:task', 'v-dep', '--directory=packages/use', '--skip-workspace', '--no-interactive'])).code).toBe(0);
    await a.git(['add', '-A']);
    await a.git(['commit', '-qm', 'task v-dep']);
    const green = await a.nx(['run', 'v-dep:stage-unit-test']);
    if (green.code !== 0) throw new Error(green.out.slice(-3000));
    for (const [file, broken] of [
      ['packages/dep/index.js', "exports.add = (a, b) => require('dep2').plus(a, b) + 1;\n"],
      ['packages/dep2/index.js', 'exports.plus = (a, b) => a * b + 1;\n'],
    ]) {
      const before = a.read(file);
      a.write(file, broken);
      await a.git(['commit', '-qam', `break ${file}`]);
      const r = await a.nx(['run', 'v-dep:stage-unit-test']);
      a.write(file, before);
      await a.git(['commit', '-qam', `mend ${file}`]);
      expect({ file, cached: fullyCached(r.out), code: r.code }).toEqual({ file, cached: false, code: 1 });
      expect(result(a, 'v-dep', 'unit-test').summary).toContain('adds through dep');
    }
  });

  it('keys a task without a base commit on HEAD: a soft reset that keeps every file but widens the change misses the cache', async () => {
    // A task written by hand without task.yaml's base_commit (as this repository's example) has its change judged against HEAD.
    a.write('.factory/v-head/contract.yaml', 'language: typescript\nallowed_files: ["packages/app/**"]\nmax_lines_changed: 5\n');
    a.write('.factory/v-head/task.yaml', 'slug: v-head\ntitle: judged against HEAD\ncreated_at: 2026-12-06T00:00:00.000Z\n');
    await a.git(['add', '-A']);
    await a.git(['commit', '-qm', 'task v-head']);
    a.write('packages/app/lib/more.js', Array.from({ length: 10 }, (_, i) => `exports.n${i} = ${i};`).join('\n') + '\n');
    await a.git(['add', '-A']);
    await a.git(['commit', '-qm', 'ten lines']);
    const clean = await a.nx(['run', 'v-head:stage-contract']);
    if (clean.code !== 0) throw new Error(clean.out.slice(-3000));
    expect(result(a, 'v-head', 'contract').summary).toContain('0 files changed');
    // Every file as it was, HEAD one commit back: the ten lines are now the task's change.
    await a.git(['reset', '-q', '--soft', 'HEAD~1']);
    const widened = await a.nx(['run', 'v-head:stage-contract']);
    await a.git(['commit', '-qm', 'ten lines again']);
    expect(fullyCached(widened.out)).toBe(false);
    expect(widened.code).not.toBe(0);
    expect(result(a, 'v-head', 'contract')).toMatchObject({ status: 'failure', summary: expect.stringContaining('max_lines_changed') });
  });

  it("runs the user's programs, not those beside the node that runs Nx (run-commands puts that node's directory first)", async () => {
    // Nx run by a node whose directory holds a python3 (as Debian's /usr/bin does), the user's own python3 first on PATH.
    const nodeDir = mkdtempSync(path.join(tmpdir(), 'factory-e2e-node-'));
    const userDir = mkdtempSync(path.join(tmpdir(), 'factory-e2e-user-'));
    try {
      copyFileSync(process.execPath, path.join(nodeDir, 'node'));
      chmodSync(path.join(nodeDir, 'node'), 0o755);
      writeFileSync(path.join(nodeDir, 'python3'), '#!/bin/sh\necho "the python3 beside node"\n', { mode: 0o755 });
      writeFileSync(path.join(userDir, 'python3'), '#!/bin/sh\necho "the user\'s python3"\n', { mode: 0o755 });
      a.write(
        '.factory/v-path/contract.yaml',
        stringify({
          language: 'typescript',
          allowed_files: ['packages/app/**'],
          pipeline: [{ name: 'which', description: 'which python3 runs', command: 'python3', timeout_seconds: 60, required_success: true }],
        }),
      );
      a.write('.factory/v-path/task.yaml', 'slug: v-path\ntitle: which python3\ncreated_at: 2026-12-07T00:00:00.000Z\n');
      await a.git(['add', '-A']);
      await a.git(['commit', '-qm', 'task v-path']);
      const r = await a.run(
        path.join(nodeDir, 'node'),
        [path.join(a.root, 'node_modules/nx/dist/bin/nx.js'), 'run', 'v-path:stage-which'],
        {
          PATH: `${userDir}${path.delimiter}${process.env.PATH}`,
        },
      );
      if (r.code !== 0) throw new Error(r.out.slice(-3000));
      expect(a.read('.factory/v-path/results/stage-which.log')).toContain("the user's python3");
    } finally {
      rmSync(nodeDir, { recursive: true, force: true });
      rmSync(userDir, { recursive: true, force: true });
    }
  });

  it('names the failing test in the cause', async () => {
    a.write('packages/app/lib/sum.js', 'exports.sum = (a, b) => a * b;\n');
    const r = await a.nx(['run', 'v-1:stage-unit-test', '--skip-nx-cache']);
    await a.git(['checkout', '-q', 'packages/app/lib/sum.js']);
    expect(r.code).not.toBe(0);
    expect(result(a, 'v-1', 'unit-test').summary).toContain('adds two numbers');
  });
});
