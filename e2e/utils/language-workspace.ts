import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { parse, stringify } from 'yaml';
import { E2E_ENV, REPO_ROOT, newWorkspace, type TestWorkspace } from './workspace';

/**
 * A temporary Nx workspace (the packed plugin installed, see `workspace.ts`) holding one of
 * this repository's example projects under `examples/<dir>` and a task for it made with
 * `nx g factory:task`, committed. Failing cases edit files, run one stage, and `undo()`.
 */
export interface LanguageWorkspace extends TestWorkspace {
  slug: string;
  /** `examples/<dir>` */
  dir: string;
  /** Runs one stage target (only it, unless `withDependencies`); returns Nx's output and the stage result. */
  stage(name: string, opts?: { withDependencies?: boolean }): Promise<{ code: number; out: string; result: StageResultFile }>;
  /** Reads a file of the example. */
  readExample(file: string): string;
  /** Rewrites a file of the example. */
  editExample(file: string, edit: (text: string) => string): void;
  /** Sets fields of the task's contract (undone by `undo`, since the contract is committed). */
  contract(fields: Record<string, unknown>): void;
  /** Puts back every committed file and removes untracked ones (ignored files stay). */
  undo(): Promise<void>;
}

export interface StageResultFile {
  status: string;
  summary: string;
  metrics: Record<string, unknown>;
  findings?: { rule: string; file?: string; line?: number; message: string }[];
}

/** A Python on PATH (or Debian's) with pytest, coverage and pyflakes, for `PYTHON` in `.factory/config.yaml`. */
export function pythonWithTools(): string {
  for (const candidate of ['python3', '/usr/bin/python3']) {
    try {
      execFileSync(candidate, ['-c', 'import pytest, coverage, pyflakes'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // Try the next one.
    }
  }
  throw new Error('no python3 with pytest, coverage and pyflakes: run tools/scripts/install-toolchains.sh');
}

let tsToolsPromise: Promise<string> | undefined;

/**
 * The TypeScript example's devDependencies, installed once per set of versions in a cached
 * folder (`npm install` takes a minute here); each workspace links its `node_modules`.
 */
function tsTools(): Promise<string> {
  tsToolsPromise ??= (async () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'examples/ts-greeting/package.json'), 'utf8'));
    const devDependencies = pkg.devDependencies as Record<string, string>;
    const key = createHash('sha256').update(JSON.stringify(devDependencies)).digest('hex').slice(0, 16);
    const dir = path.join(tmpdir(), `factory-e2e-ts-tools-${key}`);
    if (existsSync(path.join(dir, '.ready'))) return path.join(dir, 'node_modules');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'ts-tools', private: true, devDependencies }));
    const r = await execa('npm', ['install', '--no-audit', '--no-fund'], { cwd: dir, env: E2E_ENV, reject: false, all: true });
    if (r.exitCode !== 0) throw new Error(`npm install of the TypeScript example's tools failed:\n${String(r.all).slice(-3000)}`);
    writeFileSync(path.join(dir, '.ready'), '');
    return path.join(dir, 'node_modules');
  })();
  return tsToolsPromise;
}

export interface LanguageSetup {
  /** Folder under this repository's `examples/`. */
  example: string;
  slug: string;
  /** Options for `nx g factory:task`, e.g. `--required-test-coverage=80`. */
  taskOptions: string[];
  /** Fields set in the task's contract after generation. */
  contract?: Record<string, unknown>;
}

/** Makes the workspace: example copied in, tools linked, task generated, everything committed. */
export async function languageWorkspace(setup: LanguageSetup): Promise<LanguageWorkspace> {
  const ws = await newWorkspace();
  const dir = `examples/${setup.example}`;
  cpSync(path.join(REPO_ROOT, dir), path.join(ws.root, dir), {
    recursive: true,
    filter: (src) => !/[/\\](node_modules|target|__pycache__|coverage|dist)$/.test(src),
  });
  if (existsSync(path.join(ws.root, dir, 'tsconfig.json'))) symlinkSync(await tsTools(), path.join(ws.root, dir, 'node_modules'), 'dir');
  if (existsSync(path.join(ws.root, dir, 'pyproject.toml'))) {
    ws.write('.factory/config.yaml', stringify({ ...parse(ws.read('.factory/config.yaml')), env: { PYTHON: pythonWithTools() } }));
  }
  await ws.git(['add', '-A']);
  await ws.git(['commit', '-qm', `example ${setup.example}`]);
  // The task gets its workspace, as by default; the failing cases edit the main tree, which the
  // stages judge while the workspace holds no work of the task.
  const g = await ws.nx(['g', 'factory:task', setup.slug, `--directory=${dir}`, '--no-interactive', ...setup.taskOptions]);
  if (g.code !== 0) throw new Error(`nx g factory:task failed:\n${g.out}`);
  const contractFile = `.factory/${setup.slug}/contract.yaml`;
  const setContract = (fields: Record<string, unknown>) =>
    ws.write(contractFile, stringify({ ...parse(ws.read(contractFile)), ...fields }));
  if (setup.contract) setContract(setup.contract);
  await ws.git(['add', '-A']);
  await ws.git(['commit', '-qm', `task ${setup.slug}`]);
  return {
    ...ws,
    slug: setup.slug,
    dir,
    async stage(name, opts = {}) {
      const r = await ws.nx(['run', `${setup.slug}:stage-${name}`, ...(opts.withDependencies ? [] : ['--exclude-task-dependencies'])]);
      const file = `.factory/${setup.slug}/results/stage-${name}.json`;
      const result = ws.exists(file) ? (JSON.parse(ws.read(file)) as StageResultFile) : { status: 'missing', summary: r.out, metrics: {} };
      return { ...r, result };
    },
    readExample: (file) => ws.read(`${dir}/${file}`),
    editExample(file, edit) {
      const p = `${dir}/${file}`;
      ws.write(p, edit(ws.exists(p) ? ws.read(p) : ''));
    },
    contract: setContract,
    async undo() {
      await ws.git(['checkout', '-q', '--', '.']);
      await ws.git(['clean', '-qfd', '--', 'examples', 'docs']);
    },
  };
}
