// Workspace and TCR benchmarks, each Factory vs the git it wraps, side by side in one run:
//  1. creating a task's workspace on a 10,000-file repository vs `git worktree add` alone
//  2. a TCR commit vs `git add -A && git commit`
//  3. a TCR revert (save the attempt under refs/factory/, then revert) vs the same git commands
//     run directly, and vs `git stash push --include-untracked` (git's own save-and-revert)
//  4. a stage of a task with a workspace (its runtime cache input included) vs nx:run-commands
// 1-3 time Factory's core functions in this process against git run from this process, so both
// sides pay the same process start-ups; 4 times whole `nx run` commands.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compare, ROOT, sh } from './lib.mjs';

const core = createRequire(import.meta.url)(path.join(ROOT, 'packages/core/dist/index.js'));
const NX = 'node_modules/.bin/nx';
const FILES = 10_000;

const git = (cwd, args, env) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Like lib.mjs `compare`, for two async functions timed in this process; `prepare` (untimed) runs before each. */
async function compareHere({ name, goal, factory, baseline, prepare, runs }) {
  const time = async (fn, side, i) => {
    await prepare?.(side, i);
    const t = process.hrtime.bigint();
    await fn(i);
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  const a = [];
  const b = [];
  await time(factory, 'factory', -1);
  await time(baseline, 'baseline', -1);
  for (let i = 0; i < runs; i++) {
    if (i % 2) {
      a.push(await time(factory, 'factory', i));
      b.push(await time(baseline, 'baseline', i));
    } else {
      b.push(await time(baseline, 'baseline', i));
      a.push(await time(factory, 'factory', i));
    }
  }
  const ma = median(a);
  const mb = median(b);
  const ratio = ma / mb;
  const r = {
    name,
    factoryMs: Math.round(ma * 10) / 10,
    baselineMs: Math.round(mb * 10) / 10,
    ratio: Number(ratio.toFixed(3)),
    goal,
    met: ratio <= goal,
    runs,
  };
  console.log(
    `${name}: factory ${r.factoryMs} ms, baseline ${r.baselineMs} ms, ratio ${r.ratio}x (goal <= ${goal}x) ${r.met ? 'MET' : 'NOT MET'}`,
  );
  return r;
}

/** A git repository of `FILES` small files in 100 folders, with Factory's layout and ignores. */
function bigRepo() {
  const root = mkdtempSync(path.join(tmpdir(), 'factory-bench-repo-'));
  git(root, ['init', '-q', '-b', 'main']);
  git(root, ['config', 'user.email', 'bench@factory.test']);
  git(root, ['config', 'user.name', 'bench']);
  for (let d = 0; d < 100; d++) {
    mkdirSync(path.join(root, `src/m${d}`), { recursive: true });
    for (let f = 0; f < FILES / 100; f++) writeFileSync(path.join(root, `src/m${d}/f${f}.js`), `module.exports = ${d * 1000 + f};\n`);
  }
  writeFileSync(path.join(root, '.gitignore'), '.factory/workspaces/\n.factory/*/.lock\n.factory/*/results/\n');
  git(root, ['add', '-A']);
  git(root, ['commit', '-qm', 'init']);
  return root;
}

function task(root, slug) {
  mkdirSync(path.join(root, `.factory/${slug}`), { recursive: true });
  writeFileSync(path.join(root, `.factory/${slug}/task.yaml`), `slug: ${slug}\ntitle: bench\ncreated_at: 2026-01-01T00:00:00.000Z\n`);
}

export async function workspaceCreate(_ws, runs) {
  const root = bigRepo();
  const made = [];
  try {
    return await compareHere({
      name: `workspace creation on a ${FILES.toLocaleString('en')}-file repository vs git worktree add`,
      goal: 1.2,
      runs,
      prepare: (side, i) => {
        // The previous round's worktrees go first (untimed), so both sides see the same repository.
        for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
        git(root, ['worktree', 'prune']);
        if (side === 'factory') task(root, `bd-w${i + 1}`);
      },
      factory: async (i) => {
        made.push((await core.createTaskWorkspace(root, `bd-w${i + 1}`, { actor: 'bench' })).dir);
      },
      baseline: async (i) => {
        const dir = path.join(root, `.factory/workspaces/base-${i + 1}`);
        git(root, ['worktree', 'add', '-q', '-b', `bench/${i + 1}`, dir, 'HEAD']);
        made.push(dir);
      },
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** A task workspace on the big repository, and a function that makes a change in it. */
async function tcrSetup() {
  const root = bigRepo();
  task(root, 'bd-tcr');
  const ws = await core.createTaskWorkspace(root, 'bd-tcr', { actor: 'bench' });
  const backend = new core.GitWorktreeBackend(root);
  const ref = { slug: 'bd-tcr', dir: ws.dir };
  let n = 0;
  const change = () => {
    n += 1;
    for (const f of ['src/m1/f1.js', 'src/m2/f2.js', 'src/m3/f3.js']) writeFileSync(path.join(ws.dir, f), `module.exports = ${n};\n`);
    writeFileSync(path.join(ws.dir, `src/new-${n}.js`), `module.exports = ${n};\n`);
    mkdirSync(path.join(ws.dir, 'test'), { recursive: true });
    writeFileSync(path.join(ws.dir, `test/new-${n}.test.js`), `// ${n}\n`);
    rmSync(path.join(ws.dir, `src/m4/f${n % 100}.js`), { force: true });
  };
  return { root, ws, backend, ref, change };
}

export async function tcrCommit(_ws, runs) {
  const { root, ws, backend, ref, change } = await tcrSetup();
  try {
    return await compareHere({
      name: 'TCR commit vs git add -A && git commit',
      goal: 1.3,
      runs,
      prepare: change,
      factory: () => backend.commit(ref, (files) => core.commitMessage('bd-tcr', files, ['unit-test'])),
      baseline: () => {
        git(ws.dir, ['add', '-A']);
        git(ws.dir, ['commit', '-q', '-m', 'bd-tcr: raw commit']);
      },
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The git commands a TCR revert runs, run directly: save the working copy as a commit under a ref, then revert. */
function rawSaveAndRevert(dir, gitDir, n) {
  const index = path.join(gitDir, 'bench.index');
  copyFileSync(path.join(gitDir, 'index'), index);
  const env = { GIT_INDEX_FILE: index };
  git(dir, ['add', '-A', '--', ':/'], env);
  const tree = git(dir, ['write-tree'], env).trim();
  unlinkSync(index);
  const head = git(dir, ['rev-parse', 'HEAD']).trim();
  const changed = git(dir, ['diff-tree', '-r', '-z', '--no-renames', '--name-status', head, tree]).split('\0');
  const commit = execFileSync('git', ['commit-tree', tree, '-p', head, '-F', '-'], {
    cwd: dir,
    input: 'attempt\n',
    encoding: 'utf8',
  }).trim();
  git(dir, ['update-ref', `refs/bench/reverted/${n}`, commit, '']);
  const tracked = [];
  const added = [];
  for (let i = 0; i + 1 < changed.length; i += 2) (changed[i] === 'A' ? added : tracked).push(changed[i + 1]);
  if (tracked.length)
    execFileSync(
      'git',
      ['--literal-pathspecs', 'restore', '--source=HEAD', '--staged', '--worktree', '--pathspec-from-file=-', '--pathspec-file-nul'],
      { cwd: dir, input: tracked.join('\0') },
    );
  if (added.length) {
    execFileSync(
      'git',
      ['--literal-pathspecs', 'rm', '--cached', '--quiet', '--ignore-unmatch', '-r', '--pathspec-from-file=-', '--pathspec-file-nul'],
      { cwd: dir, input: added.join('\0') },
    );
    for (const f of added) rmSync(path.join(dir, f), { force: true });
  }
}

export async function tcrRevert(_ws, runs) {
  const { root, ws, backend, ref, change } = await tcrSetup();
  const gitDir = git(ws.dir, ['rev-parse', '--path-format=absolute', '--git-dir']).trim();
  const factory = async () => {
    const saved = await backend.save(ref, 'reverted', (files) =>
      core.attemptMessage('bd-tcr', { stage: 'unit-test', summary: 'failed' }, files),
    );
    await backend.revert(ref, saved.files);
  };
  try {
    const same = await compareHere({
      name: 'TCR revert (save + revert) vs the same git commands run directly',
      goal: 1.3,
      runs,
      prepare: change,
      factory,
      baseline: (i) => rawSaveAndRevert(ws.dir, gitDir, i + 2),
    });
    const stash = await compareHere({
      name: 'TCR revert (save + revert) vs git stash push --include-untracked',
      goal: 1.3,
      runs,
      prepare: change,
      factory,
      baseline: () => git(ws.dir, ['stash', 'push', '--include-untracked', '-q']),
    });
    return [same, stash];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

workspaceCreate.ownRepo = true;
tcrCommit.ownRepo = true;
tcrRevert.ownRepo = true;

/** As the acceptance check measures it: a stage of a task made by `nx g factory:task` (so with a workspace). */
export function stageWorkspace(ws, runs) {
  sh(NX, ['g', 'factory:task', 'bd-perf.1', '--no-interactive'], ws);
  writeFileSync(
    path.join(ws, '.factory/bd-perf.1/contract.yaml'),
    'language: typescript\nallowed_files: ["packages/app/**"]\npipeline:\n  - name: noop\n    description: does nothing\n    command: "true"\n    timeout_seconds: 30\n    required_success: true\n',
  );
  writeFileSync(
    path.join(ws, 'packages/app/project.json'),
    JSON.stringify({ name: 'app', targets: { plain: { executor: 'nx:run-commands', options: { command: 'true' }, cache: true } } }),
  );
  sh(NX, ['run', 'bd-perf.1:stage-noop'], ws);
  return compare({
    name: 'stage of a task with a workspace vs nx:run-commands, uncached (true)',
    goal: 1.1,
    factory: [NX, 'run', 'bd-perf.1:stage-noop', '--skip-nx-cache'],
    baseline: [NX, 'run', 'app:plain', '--skip-nx-cache'],
    cwd: ws,
    runs,
  });
}
