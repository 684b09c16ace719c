// Gates benchmark: the built-in contract stage (as Nx runs it: the bundled stage runner, which
// loads the contract and task, diffs against the base commit, reads the manifests and checks
// every changed file against the globs) on a diff of 10,000 changed files against 50 allowed
// globs, vs `git diff --numstat <base>` on the same diff, side by side in one run.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { compare, sh } from './lib.mjs';

const FILES = 10_000;
const GLOBS = 50;
const SLUG = 'bench-gates';
const git = (ws, ...args) => sh('git', ['-c', 'user.email=b@b', '-c', 'user.name=bench', ...args], ws);

function writeFiles(ws, version) {
  for (let i = 0; i < FILES; i++) {
    const dir = path.join(ws, `packages/p${i % GLOBS}/src/dir${Math.floor(i / 500)}`);
    if (version === 0) mkdirSync(dir, { recursive: true });
    const body = Array.from({ length: 20 }, (_, l) => `export const v${l} = ${l === 5 ? version : l};\n`).join('');
    writeFileSync(path.join(dir, `f${i}.ts`), version === 0 ? body : `${body}export const added${version} = true;\n`);
  }
}

export function contractCheck(ws, runs) {
  writeFiles(ws, 0);
  git(ws, 'add', '-A');
  git(ws, 'commit', '-qm', 'base: 10,000 files');
  const base = git(ws, 'rev-parse', 'HEAD').trim();
  writeFiles(ws, 1);
  git(ws, 'add', '-A');
  git(ws, 'commit', '-qm', 'the task: every file changed');
  const task = path.join(ws, `.factory/${SLUG}`);
  mkdirSync(task, { recursive: true });
  writeFileSync(path.join(task, 'task.yaml'), `slug: ${SLUG}\ntitle: bench\ncreated_at: 2026-01-01T00:00:00.000Z\nbase_commit: ${base}\n`);
  const globs = Array.from({ length: GLOBS }, (_, i) => `  - "packages/p${i}/src/**/*.ts"`).join('\n');
  writeFileSync(path.join(task, 'contract.yaml'), `language: typescript\nallowed_files:\n${globs}\nmax_lines_changed: 1000000\n`);
  // Nx infers the task once (which caches its parsed contract for the runner), then runs the
  // stage target's command.
  sh('npx', ['nx', 'show', 'project', SLUG], ws);
  const factory = ['sh', 'node_modules/factory/bin/stage-runner.sh', 'stage', SLUG, 'contract'];
  sh(factory[0], factory.slice(1), ws);
  const result = JSON.parse(readFileSync(path.join(task, 'results/stage-contract.json'), 'utf8'));
  const changed = sh('git', ['diff', '--numstat', base], ws).trim().split('\n').length;
  if (result.status !== 'success' || result.metrics.files_changed !== FILES || changed !== FILES) {
    throw new Error(
      `expected ${FILES} changed files checked and passing, got ${result.metrics.files_changed} (${result.status}: ${result.summary}); git: ${changed}`,
    );
  }
  return compare({
    name: `contract stage on ${FILES} changed files against ${GLOBS} globs vs git diff --numstat`,
    goal: 1.5,
    factory,
    baseline: ['git', 'diff', '--numstat', base],
    cwd: ws,
    runs,
  });
}
