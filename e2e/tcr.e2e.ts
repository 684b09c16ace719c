import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';
import { parse, stringify } from 'yaml';
import { newWorkspace, type TestWorkspace } from './utils/workspace';

jest.setTimeout(600_000);

const A = 'bd-a';
const B = 'bd-b';
const wsOf = (slug: string) => `.factory/workspaces/${slug}`;
const PASS = 'const t=require("node:test"),a=require("node:assert");t("ok",()=>a.equal(1,1));\n';
const FAIL = 'const t=require("node:test"),a=require("node:assert");t("bad",()=>a.equal(1,2));\n';

function setPipeline(ws: TestWorkspace, slug: string, pipeline: unknown[]) {
  const file = `.factory/${slug}/contract.yaml`;
  ws.write(file, stringify({ ...(parse(ws.read(file)) ?? {}), allowed_files: ['packages/app/**'], working_directory: '.', pipeline }));
}

const unitTest = (command = 'node --test packages/app/test/') => ({
  name: 'unit-test',
  description: 'tests',
  command,
  timeout_seconds: 120,
  required_success: true,
});

/** Every file under a directory except .git: path → mode and content, for byte-for-byte comparison. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    // .git, and node_modules: the main tree's installation, linked in (not the task's files).
    if (f === '.git' || f.startsWith('.git/') || f === 'node_modules' || f.startsWith('node_modules/')) continue;
    const st = statSync(path.join(dir, f));
    if (st.isFile()) out[f] = `${(st.mode & 0o111) !== 0 ? 'x' : '-'} ${readFileSync(path.join(dir, f)).toString('base64')}`;
  }
  return out;
}

describe('workspaces and TCR in a real Nx workspace', () => {
  let ws: TestWorkspace;
  const inWs = (slug: string, ...args: string[]) => ws.run('git', ['-C', wsOf(slug), ...args]);

  beforeAll(async () => {
    ws = await newWorkspace();
    for (const slug of [A, B]) expect((await ws.nx(['g', 'factory:task', slug, '--no-interactive'])).code).toBe(0);
    setPipeline(ws, A, [unitTest()]);
    setPipeline(ws, B, [unitTest()]);
    await ws.git(['add', '-A']);
    await ws.git(['commit', '-qm', 'two tasks']);
  });
  afterAll(() => ws?.cleanup());

  it('gives each task its own worktree on factory/<slug>, recorded in task.yaml; --dry-run and --skip-workspace make none', async () => {
    const list = await ws.git(['worktree', 'list', '--porcelain']);
    for (const slug of [A, B]) {
      expect(list).toContain(`worktree ${path.join(ws.root, wsOf(slug))}\n`);
      expect(list).toContain(`branch refs/heads/factory/${slug}\n`);
      expect(parse(ws.read(`.factory/${slug}/task.yaml`)).workspace).toMatchObject({
        backend: 'git',
        path: wsOf(slug),
        branch: `factory/${slug}`,
      });
      expect(ws.read(`.factory/${slug}/status.yaml`)).toMatch(/^status: ready/);
    }
    expect((await ws.nx(['g', 'factory:task', 'bd-dry', '--no-interactive', '--dry-run'])).code).toBe(0);
    expect((await ws.nx(['g', 'factory:task', 'bd-skip', '--no-interactive', '--skip-workspace'])).code).toBe(0);
    expect(ws.exists(wsOf('bd-dry'))).toBe(false);
    expect(ws.exists(wsOf('bd-skip'))).toBe(false);
    rmSync(path.join(ws.root, '.factory/bd-skip'), { recursive: true });
  });

  it('keeps edits in one workspace out of the other and out of the main tree', async () => {
    ws.write(`${wsOf(A)}/packages/app/src/only-a.ts`, 'export const a = 1;\n');
    expect(ws.exists(`${wsOf(B)}/packages/app/src/only-a.ts`)).toBe(false);
    expect(ws.exists('packages/app/src/only-a.ts')).toBe(false);
    // The main tree's code is untouched (Factory's own state under .factory/ may change).
    expect(await ws.git(['status', '--porcelain', '--', ':!.factory'])).toBe('');
    expect((await inWs(B, 'status', '--porcelain')).out).toBe('');
    rmSync(path.join(ws.root, wsOf(A), 'packages/app/src/only-a.ts'));
  });

  it("runs the main tree's installed tools in a workspace: node_modules is linked, and git does not see the links", async () => {
    // npm workspaces link the repository's own packages (packages/app): the workspace gets a folder
    // of links, each installed package the main tree's, each own package the workspace's copy.
    const modules = path.join(ws.root, wsOf(A), 'node_modules');
    expect(lstatSync(modules).isDirectory()).toBe(true);
    const entries = readdirSync(modules).flatMap((n) =>
      n.startsWith('@') ? readdirSync(path.join(modules, n)).map((m) => `${n}/${m}`) : [n],
    );
    const own = entries.map((e) => realpathSync(path.join(modules, e))).filter((r) => r.startsWith(`${realpathSync(ws.root)}/packages/`));
    expect(own).toEqual([]);
    const mine = `${realpathSync(path.join(ws.root, wsOf(A)))}/packages/`;
    expect(entries.filter((e) => realpathSync(path.join(modules, e)).startsWith(mine)).length).toBeGreaterThan(0);
    expect(entries.every((e) => lstatSync(path.join(modules, e)).isSymbolicLink())).toBe(true);
    const sh = await ws.run('sh', ['-c', `cd ${wsOf(A)} && npx --no-install tsc --version`]);
    expect(sh).toMatchObject({ code: 0, out: expect.stringContaining('Version 5.9') });
    expect((await inWs(A, 'status', '--porcelain')).out).toBe('');
  });

  it('lists no project from inside a workspace', async () => {
    const names = (await ws.nx(['show', 'projects'])).out.split('\n').filter(Boolean);
    expect(names.filter((n) => n === 'app')).toHaveLength(1);
    expect(names.filter((n) => n === A)).toHaveLength(1);
    expect(names.filter((n) => n === B)).toHaveLength(1);
  });

  it('runs stage-unit-test of both tasks in parallel with nx run-many, each in its own workspace', async () => {
    const marks = mkdtempSync(path.join(tmpdir(), 'factory-par-'));
    // Each stage records where it runs, then waits for the other task's stage to have started.
    const script = path.join(marks, 'meet.js');
    const code = `const fs=require("fs"),p=require("path");const me=process.env.FACTORY_SLUG,other=me==="${A}"?"${B}":"${A}";
fs.writeFileSync(p.join(${JSON.stringify(marks)},me),process.cwd());const t=Date.now();
while(!fs.existsSync(p.join(${JSON.stringify(marks)},other))){if(Date.now()-t>60000){console.error("never met "+other);process.exit(3)}}`;
    writeFileSync(script, code);
    for (const slug of [A, B]) setPipeline(ws, slug, [unitTest(`node ${script}`)]);
    // Each task has work in its workspace (a new test), so its stages run there.
    for (const slug of [A, B]) ws.write(`${wsOf(slug)}/packages/app/test/a.test.js`, PASS);
    const r = await ws.nx(['run-many', '-t', 'stage-unit-test', '-p', A, B, '--parallel=2', '--skip-nx-cache']);
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(marks, A), 'utf8')).toBe(path.join(ws.root, wsOf(A)));
    expect(readFileSync(path.join(marks, B), 'utf8')).toBe(path.join(ws.root, wsOf(B)));
    rmSync(marks, { recursive: true, force: true });
    for (const slug of [A, B]) setPipeline(ws, slug, [unitTest()]);
    rmSync(path.join(ws.root, wsOf(B), 'packages/app/test/a.test.js'));
  });

  it('judges the main tree while a workspace is still at its base commit (a person may be working by hand)', async () => {
    expect((await inWs(B, 'status', '--porcelain')).out).toBe('');
    ws.write('packages/app/test/main.test.js', FAIL);
    const r = await ws.nx(['run', `${B}:stage-unit-test`, '--skip-nx-cache']);
    expect(r.code).not.toBe(0);
    expect(r.out).toContain(`factory › ${B} › unit-test: node --test packages/app/test/  (in .)`);
    rmSync(path.join(ws.root, 'packages/app/test/main.test.js'));
  });

  it("caches a stage on the workspace's content: unchanged is a hit, an edit in the workspace a miss", async () => {
    ws.write(`${wsOf(A)}/packages/app/test/a.test.js`, PASS);
    expect((await ws.nx(['run', `${A}:stage-unit-test`])).code).toBe(0);
    const hit = await ws.nx(['run', `${A}:stage-unit-test`]);
    expect(hit.out).toMatch(/Nx read the output from the cache/);
    ws.write(`${wsOf(A)}/packages/app/src/index.ts`, `${ws.read(`${wsOf(A)}/packages/app/src/index.ts`)}export const y = 1;\n`);
    const miss = await ws.nx(['run', `${A}:stage-unit-test`]);
    expect(miss.code).toBe(0);
    expect(miss.out).not.toMatch(/Nx read the output from the cache/);
    ws.write(`${wsOf(B)}/packages/app/src/index.ts`, 'export const other = 1;\n');
    expect((await ws.nx(['run', `${A}:stage-unit-test`])).out).toMatch(/Nx read the output from the cache/);
    await inWs(B, 'checkout', '--', '.');
  });

  it('TCR commits a passing change with the task in the message and a Factory-Task trailer', async () => {
    const before = (await inWs(A, 'rev-parse', 'HEAD')).out.trim();
    const r = await ws.nx(['run', `${A}:tcr`]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`factory › ${A} › tcr: committed`);
    expect((await inWs(A, 'rev-parse', 'HEAD')).out.trim()).not.toBe(before);
    const msg = (await inWs(A, 'log', '-1', '--format=%B')).out;
    expect(msg).toMatch(new RegExp(`^${A}: (add|update) packages/app/`));
    expect(msg).toMatch(new RegExp(`\\nFactory-Task: ${A}\\n`));
    expect((await inWs(A, 'status', '--porcelain')).out).toBe('');
  });

  it('TCR reverts a failing change (relaxed keeps tests); the attempt is listed and restored byte for byte, new and deleted files too', async () => {
    const dir = path.join(ws.root, wsOf(A));
    const head = tree(dir);
    ws.write(`${wsOf(A)}/packages/app/src/index.ts`, 'export const broken = 2;\n');
    ws.write(`${wsOf(A)}/packages/app/src/new-file.ts`, 'export const n = 1;\n');
    ws.write(`${wsOf(A)}/packages/app/bin/run.sh`, '#!/bin/sh\necho run\n');
    chmodSync(path.join(dir, 'packages/app/bin/run.sh'), 0o755);
    rmSync(path.join(dir, 'packages/app/tsconfig.json'));
    ws.write(`${wsOf(A)}/packages/app/test/b.test.js`, FAIL);
    const attempt = tree(dir);

    const r = await ws.nx(['run', `${A}:tcr`]);
    expect(r.code).not.toBe(0);
    expect(r.out).toContain(`factory › ${A} › tcr: reverted (factory tcr run exits 1 for this)`);
    const after = tree(dir);
    expect(after['packages/app/test/b.test.js']).toBe(attempt['packages/app/test/b.test.js']);
    delete after['packages/app/test/b.test.js'];
    expect(after).toEqual(head);

    const listed = JSON.parse((await ws.factory(['tcr', 'list', A, '--json'])).out) as {
      attempts: Array<{ ref: string; kind: string; files: Array<{ path: string; kind: string }> }>;
    };
    expect(listed.attempts[0]).toMatchObject({ ref: `refs/factory/${A}/reverted/1`, kind: 'reverted' });
    expect(listed.attempts[0].files.map((f) => `${f.kind} ${f.path}`).sort()).toEqual([
      'added packages/app/bin/run.sh',
      'added packages/app/src/new-file.ts',
      'added packages/app/test/b.test.js',
      'deleted packages/app/tsconfig.json',
      'modified packages/app/src/index.ts',
    ]);
    const restored = await ws.factory(['tcr', 'restore', A, '1']);
    expect(restored.code).toBe(0);
    expect(tree(dir)).toEqual(attempt);
    await ws.git(['fsck', '--no-progress']);
    await inWs(A, 'checkout', '--', '.');
    await inWs(A, 'clean', '-fdq');
  });

  it('strict reverts the test files too', async () => {
    ws.write(`${wsOf(B)}/packages/app/src/index.ts`, 'export const broken = 2;\n');
    ws.write(`${wsOf(B)}/packages/app/test/b.test.js`, FAIL);
    const r = await ws.factory(['tcr', 'run', B, '--variant', 'strict']);
    expect(r.code).toBe(1);
    expect((await inWs(B, 'status', '--porcelain')).out).toBe('');
    expect(await ws.git(['for-each-ref', '--format=%(refname)', `refs/factory/${B}/`])).toBe(`refs/factory/${B}/reverted/1`);
  });

  it('refuses to delete a workspace with uncommitted work, and with --force keeps the commits and the work', async () => {
    ws.write(`${wsOf(A)}/packages/app/src/wip.ts`, 'export const wip = 1;\n');
    const refused = await ws.factory(['workspace', 'delete', A]);
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(
      /refusing to delete the workspace of bd-a .*uncommitted change\(s\): packages\/app\/src\/wip\.ts \(added\)/,
    );
    expect(ws.exists(`${wsOf(A)}/packages/app/src/wip.ts`)).toBe(true);
    const branchHead = (await ws.git(['rev-parse', `factory/${A}`])).trim();
    const forced = await ws.factory(['workspace', 'delete', A, '--force']);
    expect(forced.code).toBe(0);
    expect(existsSync(path.join(ws.root, wsOf(A)))).toBe(false);
    expect((await ws.git(['rev-parse', `factory/${A}`])).trim()).toBe(branchHead);
    expect(await ws.git(['log', '--format=%s', `factory/${A}`])).toMatch(new RegExp(`^${A}: `));
    expect(await ws.git(['show', `refs/factory/${A}/deleted/1:packages/app/src/wip.ts`])).toBe('export const wip = 1;');
    await ws.git(['fsck', '--no-progress']);
    // The task still runs its stages, now in the repository itself.
    expect((await ws.nx(['run', `${A}:stage-unit-test`, '--skip-nx-cache'])).out).toContain(
      `factory › ${A} › unit-test: node --test packages/app/test/  (in .)`,
    );
  });
});
