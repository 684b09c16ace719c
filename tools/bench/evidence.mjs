// Evidence benchmarks: what signing and verifying cost, measured side by side in one run on two
// copies of one workspace with the same task and pipeline:
//   signed:   a key made by `factory keys init`, listed and trusted: every stage attestation is
//             signed, approval verifies each signature, signs its verification summary and an
//             audit checkpoint;
//   unsigned: no key listed and none on the machine: attestations are written unsigned and
//             approval checks their digests only (what a repository gets before `keys init`).
// 1. a cached pipeline rerun (goal <= 1.05x)
// 2. one stage run, uncached, where the attestation is signed (goal <= 1.05x)
// 3. approval (goal <= 1.10x)
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compare, ENV, sh } from './lib.mjs';

const SLUG = 'bd-ev';
const STAGES = ['s1', 's2', 's3', 's4'];

/** A copy of the workspace as one machine has it: its own home (key file), Nx cache and no keyring. */
function machineFor(dir, signed) {
  const home = mkdtempSync(path.join(tmpdir(), 'factory-bench-home-'));
  const env = { ...ENV, HOME: home, XDG_CONFIG_HOME: path.join(home, 'config'), FACTORY_KEYRING: 'off' };
  delete env.FACTORY_SIGNING_KEY;
  env.NX_CACHE_DIRECTORY = path.join(dir, '.nx', 'cache');
  const run = (file, args) => sh(file, args, dir, { env });
  rmSync(path.join(dir, '.ready'), { force: true }); // the template's marker: not the task's change
  run('git', ['config', 'user.email', 'bench@example.com']);
  run('git', ['config', 'user.name', 'bench']);
  if (signed) run('node_modules/.bin/factory', ['keys', 'init', '--owner', 'bench@example.com']);
  run('node_modules/.bin/nx', ['g', 'factory:task', SLUG, `--allowed-files=packages/app/**`, '--skip-workspace', '--no-interactive']);
  const pipeline = STAGES.map((s, i) => `  - name: ${s}\n    command: "true"\n    needs: [${i ? STAGES[i - 1] : 'contract'}]`);
  writeFileSync(
    path.join(dir, `.factory/${SLUG}/contract.yaml`),
    `language: typescript\nallowed_files: ["packages/app/**"]\nworking_directory: .\npipeline:\n  - name: contract\n${pipeline.join('\n')}\n`,
  );
  run('git', ['add', '-A']);
  run('git', ['commit', '-qm', `task ${SLUG}`]);
  run('node_modules/.bin/nx', ['run', `${SLUG}:pipeline`]);
  // The command for compare(): the same shell wrapper on both sides, so it costs both alike.
  const nx = (...args) => [
    'sh',
    '-c',
    'd="$0"; h="$1"; shift; cd "$d" && HOME="$h" XDG_CONFIG_HOME="$h/config" FACTORY_KEYRING=off NX_CACHE_DIRECTORY="$d/.nx/cache" exec node_modules/.bin/nx "$@"',
    dir,
    home,
    ...args,
  ];
  // Back to the committed state (the task ready for review; results, Nx cache and keys kept).
  const reset = () => {
    run('git', ['checkout', '-q', '--', '.']);
    run('git', ['clean', '-fdq']);
  };
  return { dir, home, nx, reset };
}

export function evidence(ws, runs) {
  const copy = mkdtempSync(path.join(tmpdir(), 'factory-bench-unsigned-'));
  mkdirSync(copy, { recursive: true });
  cpSync(ws, copy, { recursive: true, verbatimSymlinks: true });
  const on = machineFor(ws, true);
  const off = machineFor(copy, false);
  try {
    const results = [];
    results.push(
      compare({
        name: `cached ${STAGES.length + 1}-stage pipeline rerun, signed vs unsigned attestations`,
        goal: 1.05,
        factory: on.nx('run', `${SLUG}:pipeline`),
        baseline: off.nx('run', `${SLUG}:pipeline`),
        cwd: ws,
        runs,
      }),
    );
    results.push(
      compare({
        name: 'one stage run, uncached (true), signed vs unsigned attestation',
        goal: 1.05,
        factory: on.nx('run', `${SLUG}:stage-s1`, '--skip-nx-cache'),
        baseline: off.nx('run', `${SLUG}:stage-s1`, '--skip-nx-cache'),
        cwd: ws,
        runs,
      }),
    );
    const approve = (m) => m.nx('run', `${SLUG}:approve`, '--yes', '--actor', 'bench@example.com', '--strategy', 'gradual');
    results.push(
      compare({
        name: 'approval: signatures verified, summary and checkpoint signed vs digests only',
        goal: 1.1,
        factory: approve(on),
        baseline: approve(off),
        cwd: ws,
        runs,
        prepareFactory: on.reset,
        prepareBaseline: off.reset,
      }),
    );
    return results;
  } finally {
    for (const d of [copy, on.home, off.home]) rmSync(d, { recursive: true, force: true });
  }
}
