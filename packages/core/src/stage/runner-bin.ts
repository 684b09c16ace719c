/**
 * Entry point of the bundled stage runner (`factory/dist/bin/stage-runner.cjs`).
 * Inferred stage targets are `nx:run-commands` targets running this file: Nx runs those
 * in-process, while a custom executor costs a forked Node process with Nx loaded.
 */
import { stageRunnerMain } from './runner-main';
import { taskCodeRoot } from '../workspace/code-root';

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
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`factory: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
