// Time to verdict: the example task's whole pipeline, uncached (`nx run bd-52.1:pipeline
// --skip-nx-cache`), side by side with its tools run in parallel by hand in examples/ts-greeting
// (tsc, jest with coverage, eslint, prettier). In a shared clone of this repository using its
// node_modules (so the plugin is this build), so that runs leave this checkout's files alone.
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compare, ROOT, sh } from './lib.mjs';

const BY_HAND =
  'cd examples/ts-greeting && { npx --no-install tsc --noEmit -p . & npx --no-install jest --coverage --coverageReporters=text-summary & ' +
  'npx --no-install eslint . & npx --no-install prettier --check . & wait; }';

export function verdict(_ws, runs) {
  const dir = mkdtempSync(path.join(tmpdir(), 'factory-bench-verdict-'));
  try {
    sh('git', ['clone', '-q', '--shared', ROOT, dir], ROOT);
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    return compare({
      name: 'time to verdict: bd-52.1 pipeline, uncached, vs its tools in parallel by hand',
      goal: 1.3,
      factory: ['npx', 'nx', 'run', 'bd-52.1:pipeline', '--skip-nx-cache'],
      baseline: ['sh', '-c', BY_HAND],
      cwd: dir,
      runs,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
verdict.ownRepo = true;
