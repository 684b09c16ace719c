/**
 * Entry point of the bundled stage runner (`factory/dist/bin/stage-runner.cjs`).
 * Inferred stage targets are `nx:run-commands` targets running this file: Nx runs those
 * in-process, while a custom executor costs a forked Node process with Nx loaded.
 */
import path from 'node:path';
import { stageRunnerMain } from './runner-main';
import { automaticActor } from '../lifecycle/actor';
import type { LifecycleModule } from './evidence';
import { taskCodeRoot } from '../workspace/code-root';

// The status writer is a second bundle beside this one, loaded only when a status changes.
const lifecycleBundle = path.join(path.dirname(path.resolve(process.argv[1] ?? '.')), 'stage-lifecycle.cjs');
let actor: Promise<string> | undefined;

const ac = new AbortController();
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(sig, () => ac.abort());

stageRunnerMain({
  args: process.argv.slice(2),
  cwd: process.cwd(),
  env: process.env,
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  signal: ac.signal,
  codeRoot: taskCodeRoot,
  evidence: {
    actor: () => (actor ??= automaticActor(process.cwd())),
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a bundle entry: loads its sibling bundle at run time
    lifecycle: async () => require(lifecycleBundle) as LifecycleModule,
  },
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`factory: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
