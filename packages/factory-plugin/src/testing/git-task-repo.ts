import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { tempWorkspace } from './temp-workspace';

export const PASSING_TEST = 'require("node:test")("ok", () => require("node:assert").equal(1, 1));\n';
export const FAILING_TEST = 'require("node:test")("bad", () => require("node:assert").equal(1, 2));\n';

const CONTRACT = `language: typescript
allowed_files: ["**"]
pipeline:
  - name: unit-test
    description: tests
    command: node --test test/
    timeout_seconds: 60
    required_success: true
`;

/** A git repository with Factory's layout and one task `bd-1` (no workspace yet). */
export function gitTaskRepo() {
  const ws = tempWorkspace({
    'nx.json': '{}\n',
    '.gitignore': '.factory/workspaces/\n.factory/*/.lock\n.factory/*/results/\n',
    'src/index.js': 'module.exports = 1;\n',
    'test/a.test.js': PASSING_TEST,
    '.factory/bd-1/task.yaml': 'slug: bd-1\ntitle: t\ncreated_at: 2026-01-01T00:00:00.000Z\n',
    '.factory/bd-1/contract.yaml': CONTRACT,
  });
  const git = (cwd: string, ...a: string[]) =>
    execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...a], { cwd, encoding: 'utf8' });
  git(ws.root, 'init', '-q');
  git(ws.root, 'add', '-A');
  git(ws.root, 'commit', '-qm', 'init');
  return {
    ...ws,
    read: (file: string) => readFileSync(path.join(ws.root, file), 'utf8'),
    git: (...a: string[]) => git(ws.root, ...a),
    gitIn: (dir: string, ...a: string[]) => git(path.join(ws.root, dir), ...a),
  };
}
export type GitTaskRepo = ReturnType<typeof gitTaskRepo>;
