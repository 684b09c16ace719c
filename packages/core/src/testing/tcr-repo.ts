import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** For tests: a real git repository with Factory's layout and tasks, in a temporary directory. */
export interface TcrRepo {
  root: string;
  git(...args: string[]): string;
  /** git in a directory relative to the root (a workspace). */
  gitIn(dir: string, ...args: string[]): string;
  write(file: string, content: string): void;
  read(file: string): string;
  exists(file: string): boolean;
  remove(file: string): void;
  cleanup(): void;
}

/** A passing and a failing node:test file. */
export const PASSING_TEST = 'const t = require("node:test"), a = require("node:assert");\nt("ok", () => a.equal(1, 1));\n';
export const FAILING_TEST = 'const t = require("node:test"), a = require("node:assert");\nt("bad", () => a.equal(1, 2));\n';

/** A contract whose unit-test runs node's test runner on `test/`, after an `implement` stage that checks `src/` parses. */
export function nodeContract(extra = ''): string {
  return `language: typescript
allowed_files: ["**"]
pipeline:
  - name: implement
    description: syntax check
    command: node -e "for (const f of require('fs').readdirSync('src')) require('./src/' + f)"
    timeout_seconds: 60
    required_success: true
  - name: unit-test
    description: tests
    command: node --test test/
    timeout_seconds: 60
    required_success: true
    needs: [implement]
${extra}`;
}

export function tcrRepo(slugs: string[] = ['bd-1'], contract = nodeContract()): TcrRepo {
  const root = mkdtempSync(path.join(tmpdir(), 'factory-repo-'));
  const git = (cwd: string, args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const write = (file: string, content: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  };
  git(root, ['init', '-q', '-b', 'main']);
  git(root, ['config', 'user.email', 'dev@factory.test']);
  git(root, ['config', 'user.name', 'Dev']);
  write('.gitignore', 'node_modules\n.factory/*/results/\n.factory/workspaces/\n.factory/*/.lock\n');
  write('nx.json', '{}\n');
  write('src/index.js', 'module.exports = 1;\n');
  write('src/keep.js', 'module.exports = "keep";\n');
  write('test/a.test.js', PASSING_TEST);
  for (const slug of slugs) {
    write(`.factory/${slug}/task.yaml`, `slug: ${slug}\ntitle: ${slug}\n# written by the test\ncreated_at: 2026-01-01T00:00:00.000Z\n`);
    write(`.factory/${slug}/contract.yaml`, contract);
  }
  git(root, ['add', '-A']);
  git(root, ['commit', '-qm', 'init']);
  return {
    root,
    git: (...args) => git(root, args),
    gitIn: (dir, ...args) => git(path.join(root, dir), args),
    write,
    read: (file) => readFileSync(path.join(root, file), 'utf8'),
    exists: (file) => existsSync(path.join(root, file)),
    remove: (file) => rmSync(path.join(root, file), { force: true, recursive: true }),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
