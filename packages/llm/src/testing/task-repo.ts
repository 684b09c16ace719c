/**
 * A real git repository in a temporary folder with one Factory task (`t-1`) working on a tiny
 * Node project under `app/`: the mode tests run against real files, real git and real stage
 * commands. `hashTree` fingerprints everything outside `.git` and `.factory` for "the disk is
 * untouched" checks.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTaskWorkspace } from '@factory/core';

export const SLUG = 't-1';

const GREET = 'function greet(name) {\n  return `hello ${name}`;\n}\n\nmodule.exports = { greet };\n';
const TEST = `const assert = require('node:assert');
const m = require('./src/greet');
assert.strictEqual(m.greet('ada'), 'hello ada');
if (m.farewell) assert.strictEqual(m.farewell('ada'), 'goodbye ada');
console.log('1 passed, 0 failed');
`;

export const CONTRACT = `language: typescript
working_directory: app
allowed_files: ["app/src/**", "app/test.js", "app/package.json", "app/go.mod", "app/Cargo.toml", "app/requirements.txt", "app/pyproject.toml"]
forbidden_files: ["app/src/secret.js"]
max_lines_changed: 60
pipeline:
  - { name: implement, description: syntax check, command: "node --check src/greet.js", timeout_seconds: 60, required_success: true }
  - { name: unit-test, description: tests, command: "node test.js", timeout_seconds: 60, required_success: true, needs: [implement] }
`;

/** A folder with git: the repository's main tree, or the task's workspace. */
export interface GitTree {
  root: string;
  git(...args: string[]): string;
  write(file: string, content: string): void;
  read(file: string): string;
}

export interface TaskRepo extends GitTree {
  /** Creates the task's workspace (a git worktree, as a change order does), or returns it. */
  workspace(): Promise<GitTree>;
  cleanup(): void;
}

function gitTree(root: string): GitTree {
  return {
    root,
    git: (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], {
        cwd: root,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    write: (file: string, content: string) => {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), content);
    },
    read: (file) => readFileSync(path.join(root, file), 'utf8'),
  };
}

export function makeTaskRepo(options: { config?: string; contract?: string; spec?: string } = {}): TaskRepo {
  const root = mkdtempSync(path.join(tmpdir(), 'factory-modes-'));
  const main = gitTree(root);
  const { git, write } = main;
  write('app/src/greet.js', GREET);
  write('app/src/secret.js', "module.exports = { note: 'forbidden to edit' };\n");
  write('app/test.js', TEST);
  write('app/package.json', '{\n  "name": "app",\n  "version": "1.0.0"\n}\n');
  write('app/Cargo.toml', '[package]\nname = "app"\nversion = "0.1.0"\n\n[dependencies]\n');
  write('app/pyproject.toml', '[project]\nname = "app"\nversion = "0.1.0"\ndependencies = []\n');
  write('README.md', '# app\n');
  write('.gitignore', '.factory/*/results/\n.factory/workspaces/\n');
  write('.factory/config.yaml', options.config ?? 'version: 1\n');
  write('.factory/contract.yaml', 'max_lines_changed: 500\n');
  write(`.factory/${SLUG}/contract.yaml`, options.contract ?? CONTRACT);
  if (options.spec !== undefined) write(`.factory/${SLUG}/spec.md`, options.spec);
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-qm', 'init');
  const base = git('rev-parse', 'HEAD').trim();
  write(
    `.factory/${SLUG}/task.yaml`,
    `slug: ${SLUG}\ntitle: Farewell\ndescription: Add a farewell function\ncreated_at: 2026-01-01T00:00:00.000Z\nbase_commit: ${base}\n`,
  );
  git('add', '-A');
  git('commit', '-qm', 'task');
  return {
    ...main,
    workspace: async () => gitTree((await createTaskWorkspace(root, SLUG, { actor: 'tester' })).dir),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/**
 * Adds the symlinks the hostile answers try to write through (untracked, so the commit is
 * unchanged) to `tree` (the task's workspace), one of them to the task's state in `repo`.
 */
export function plantSymlinks(repo: TaskRepo, tree: GitTree, outside: string): void {
  symlinkSync(outside, path.join(tree.root, 'app/src/outside-link'));
  symlinkSync('secret.js', path.join(tree.root, 'app/src/alias.js'));
  symlinkSync(path.join(repo.root, '.factory/t-1'), path.join(tree.root, 'app/src/state-link'));
}

/** A hash of every file, folder and symlink under `dir` except `.git` and `.factory`. */
export function hashTree(dir: string): string {
  const h = createHash('sha256');
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(dir, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      if (r === '.git' || r === '.factory') continue;
      const abs = path.join(dir, r);
      const st = lstatSync(abs);
      if (st.isSymbolicLink()) h.update(`L ${r} ${readlinkSync(abs)}\n`);
      else if (st.isDirectory()) {
        h.update(`D ${r}\n`);
        walk(r);
      } else h.update(`F ${r} ${st.mode} `).update(readFileSync(abs)).update('\n');
    }
  };
  walk('');
  return h.digest('hex');
}
