import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type Options } from 'execa';

/**
 * A real temporary Nx workspace with Factory installed from its packed tarballs, as a user
 * outside this repository would have it. The installed template is made once per build of
 * the packages (keyed by the tarballs' hash) and copied for each test.
 */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const NX_VERSION = '23.3.1';
export const E2E_ENV = {
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_TUI: 'false',
  NX_SKIP_NX_CACHE: undefined,
  CI: undefined,
  FORCE_COLOR: '0',
  NPM_CONFIG_UPDATE_NOTIFIER: 'false',
  NPM_CONFIG_FUND: 'false',
  NPM_CONFIG_AUDIT: 'false',
};
const GIT_ID = ['-c', 'user.email=e2e@factory.test', '-c', 'user.name=Factory E2E'];

async function sh(file: string, args: string[], opts: Options & { cwd: string }) {
  const r = await execa(file, args, { env: E2E_ENV, reject: false, all: true, ...opts });
  return { code: r.exitCode ?? 1, out: String(r.all ?? '') };
}

async function must(file: string, args: string[], opts: Options & { cwd: string }) {
  const r = await sh(file, args, opts);
  if (r.code !== 0) throw new Error(`${file} ${args.join(' ')} failed (${r.code}) in ${opts.cwd}:\n${r.out.slice(-4000)}`);
  return r.out;
}

async function packPackages(dest: string): Promise<string[]> {
  mkdirSync(dest, { recursive: true });
  for (const p of ['core', 'llm', 'factory-plugin']) {
    if (!existsSync(path.join(REPO_ROOT, 'packages', p, 'package.json'))) continue;
    await must('npm', ['pack', `./packages/${p}`, '--pack-destination', dest, '--silent'], { cwd: REPO_ROOT });
  }
  return readdirSync(dest)
    .filter((f) => f.endsWith('.tgz'))
    .map((f) => path.join(dest, f));
}

const APP = {
  'package.json': '{ "name": "acme", "private": true, "workspaces": ["packages/*"] }\n',
  'nx.json': '{ "analytics": false }\n',
  '.gitignore': 'node_modules\ndist\n.nx\n',
  'packages/app/package.json': '{ "name": "app", "version": "1.0.0", "scripts": { "build": "tsc -p .", "test": "node --test" } }\n',
  'packages/app/tsconfig.json':
    '{ "compilerOptions": { "strict": true, "outDir": "dist", "module": "commonjs", "target": "es2020" }, "include": ["src"] }\n',
  'packages/app/src/index.ts': 'export function greet(name: string): string {\n  return `hello ${name}`;\n}\n',
};

let templatePromise: Promise<string> | undefined;

/** The installed template workspace (made on first use, reused while the packages are unchanged). */
export function template(): Promise<string> {
  templatePromise ??= (async () => {
    const staging = mkdtempSync(path.join(tmpdir(), 'factory-e2e-pack-'));
    const tgz = await packPackages(staging);
    const h = createHash('sha256');
    for (const f of tgz.sort()) h.update(readFileSync(f));
    const dir = path.join(tmpdir(), `factory-e2e-template-${h.digest('hex').slice(0, 16)}`);
    if (existsSync(path.join(dir, '.ready'))) {
      rmSync(staging, { recursive: true, force: true });
      return dir;
    }
    rmSync(dir, { recursive: true, force: true });
    for (const [f, c] of Object.entries(APP)) {
      mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      writeFileSync(path.join(dir, f), c);
    }
    const local = path.join(dir, '.tarballs');
    cpSync(staging, local, { recursive: true });
    rmSync(staging, { recursive: true, force: true });
    const tarballs = readdirSync(local).map((f) => `./.tarballs/${f}`);
    await must(
      'npm',
      ['install', '--no-audit', '--no-fund', '-D', `nx@${NX_VERSION}`, `@nx/devkit@${NX_VERSION}`, 'typescript@5.9.3', ...tarballs],
      { cwd: dir },
    );
    writeFileSync(path.join(dir, '.gitignore'), 'node_modules\ndist\n.nx\n.tarballs\n');
    await must('git', ['init', '-q', '-b', 'main'], { cwd: dir });
    await must('git', ['add', '-A'], { cwd: dir });
    await must('git', [...GIT_ID, 'commit', '-qm', 'init'], { cwd: dir });
    await must('npx', ['nx', 'g', 'factory:init', '--no-interactive'], { cwd: dir });
    await must('git', ['add', '-A'], { cwd: dir });
    await must('git', [...GIT_ID, 'commit', '-qm', 'factory init'], { cwd: dir });
    writeFileSync(path.join(dir, '.ready'), '');
    return dir;
  })();
  return templatePromise;
}

export interface TestWorkspace {
  root: string;
  /** Runs `nx` (the workspace's own) with the given arguments. */
  nx(args: string[], env?: Record<string, string | undefined>): Promise<{ code: number; out: string }>;
  /** Runs the `factory` CLI of the installed plugin. */
  factory(args: string[], env?: Record<string, string | undefined>): Promise<{ code: number; out: string }>;
  git(args: string[]): Promise<string>;
  run(file: string, args: string[], env?: Record<string, string | undefined>): Promise<{ code: number; out: string }>;
  write(file: string, content: string): void;
  read(file: string): string;
  exists(file: string): boolean;
  cleanup(): void;
}

/** A fresh copy of the template. */
export async function newWorkspace(): Promise<TestWorkspace> {
  const tpl = await template();
  const root = mkdtempSync(path.join(tmpdir(), 'factory-e2e-'));
  cpSync(tpl, root, { recursive: true, verbatimSymlinks: true });
  rmSync(path.join(root, '.ready'));
  const nxBin = path.join(root, 'node_modules', '.bin', 'nx');
  const factoryBin = path.join(root, 'node_modules', '.bin', 'factory');
  // Its own Nx cache: Nx shares one cache between every copy of a repository (same first commit).
  const own = { ...E2E_ENV, NX_CACHE_DIRECTORY: path.join(root, '.nx', 'cache') };
  return {
    root,
    nx: (args, env) => sh(nxBin, args, { cwd: root, env: { ...own, ...env } }),
    factory: (args, env) => sh(factoryBin, args, { cwd: root, env: { ...own, ...env } }),
    git: (args) => must('git', [...GIT_ID, ...args], { cwd: root }),
    run: (file, args, env) => sh(file, args, { cwd: root, env: { ...own, ...env } }),
    write(file, content) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), content);
    },
    read: (file) => readFileSync(path.join(root, file), 'utf8'),
    exists: (file) => existsSync(path.join(root, file)),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
