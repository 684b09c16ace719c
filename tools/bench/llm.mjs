// LLM mode benchmarks, each Factory vs a baseline doing the same work, in one run:
//  1. the built-in review stage without a provider (the stage runner loads the review bundle,
//     decides it cannot run, records why) vs a stage running `node -e 0` through the stage
//     runner: what a user without an LLM pays for review being part of every pipeline.
import path from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { compare, sh } from './lib.mjs';

const NX = 'node_modules/.bin/nx';

export function reviewStage(ws, runs) {
  sh(NX, ['g', 'factory:task', 'bd-rv.1', '--no-interactive'], ws);
  const file = path.join(ws, '.factory/bd-rv.1/contract.yaml');
  writeFileSync(
    file,
    `${readFileSync(file, 'utf8')}pipeline:\n  - { name: noop, description: nothing, command: "node -e 0", timeout_seconds: 60, required_success: true }\n  - { name: review, needs: [noop] }\n`,
  );
  sh('git', ['add', '-A'], ws);
  sh('git', ['-c', 'user.email=b@b', '-c', 'user.name=bench', 'commit', '-qm', 'task'], ws);
  return compare({
    name: 'review stage without a provider vs a `node -e 0` stage (nx run, cache skipped)',
    goal: 1.5,
    factory: [NX, 'run', 'bd-rv.1:stage-review', '--exclude-task-dependencies', '--skip-nx-cache'],
    baseline: [NX, 'run', 'bd-rv.1:stage-noop', '--skip-nx-cache'],
    cwd: ws,
    runs,
  });
}
