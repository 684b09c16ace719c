/**
 * Entry point of the bundled stage runner (`factory/dist/bin/stage-runner.cjs`).
 * Inferred stage targets are `nx:run-commands` targets running this file: Nx runs those
 * in-process, while a custom executor costs a forked Node process with Nx loaded.
 *
 * Built-in stages (see `builtin-stage.ts`) live in a second bundle beside this one,
 * `stage-builtins.cjs`, required only when a built-in stage runs.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { BuiltinStageHandler, BuiltinStageRegistry } from './builtin-stage';
import { stageRunnerMain } from './runner-main';
import { taskCodeRoot } from '../workspace/code-root';

/** The file name of the built-in stages' bundle, next to the runner. */
export const BUILTINS_BUNDLE = 'stage-builtins.cjs';

function lazyBuiltins(runnerFile: string): BuiltinStageRegistry {
  let loaded: Record<string, BuiltinStageHandler> | undefined;
  return async (name) => {
    if (!loaded) {
      const req = createRequire(runnerFile);
      loaded = (req(path.join(path.dirname(runnerFile), BUILTINS_BUNDLE)) as { builtinStages: Record<string, BuiltinStageHandler> }).builtinStages;
    }
    return Object.hasOwn(loaded, name) ? loaded[name] : undefined;
  };
}

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
  builtins: lazyBuiltins(path.resolve(process.argv[1])),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`factory: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
