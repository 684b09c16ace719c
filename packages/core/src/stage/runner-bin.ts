/**
 * Entry point of the bundled stage runner (`factory/dist/bin/stage-runner.cjs`).
 * Inferred stage targets are `nx:run-commands` targets running this file: Nx runs those
 * in-process, while a custom executor costs a forked Node process with Nx loaded.
 *
 * Built-in stages (see `builtin-stage.ts`) live in a second bundle beside this one,
 * `stage-builtins.cjs`, required only when a built-in stage runs.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { BuiltinStageHandler, BuiltinStageRegistry } from './builtin-stage';
import { stageRunnerMain } from './runner-main';
import { automaticActor } from '../lifecycle/actor';
import type { LifecycleModule } from './evidence';
import { taskCodeRoot } from '../workspace/code-root';
import { contractCachePath } from './contract-cache';
import { nxWorkspaceDataDirectory, type ContractParser } from './stage-spec';

const here = path.dirname(path.resolve(process.argv[1] ?? '.'));
// The status writer is a second bundle beside this one, loaded only when a status changes.
const lifecycleBundle = path.join(here, 'stage-lifecycle.cjs');
// The built-in stages (contract, security, …): a bundle beside this one, loaded on first use.
const builtinsBundle = path.join(here, 'stage-builtins.cjs');
// The contract parser (YAML, zod), the plugin's own bundle: loaded only when a contract is not in inference's cache.
const parserBundle = path.join(here, '..', 'contract-parser.cjs');
let actor: Promise<string> | undefined;

let builtinStages: Readonly<Record<string, BuiltinStageHandler>> | undefined;
const builtins: BuiltinStageRegistry = async (name) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a bundle entry: loads its sibling bundle at run time
  builtinStages ??= (require(builtinsBundle) as { builtinStages: Record<string, BuiltinStageHandler> }).builtinStages;
  return Object.hasOwn(builtinStages, name) ? builtinStages[name] : undefined;
};

// bin/stage-runner.sh starts this process without NODE_EXTRA_CA_CERTS (Node reads that file on
// start-up, ~85 ms); every command a stage runs gets it back as the user set it.
const savedCa = process.env.FACTORY_NODE_EXTRA_CA_CERTS;
if (savedCa !== undefined) {
  process.env.NODE_EXTRA_CA_CERTS = savedCa;
  delete process.env.FACTORY_NODE_EXTRA_CA_CERTS;
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
  evidence: {
    actor: () => (actor ??= automaticActor(process.cwd())),
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a bundle entry: loads its sibling bundle at run time
    lifecycle: async () => require(lifecycleBundle) as LifecycleModule,
  },
  builtins,
  contractCache: contractCachePath(nxWorkspaceDataDirectory(process.cwd(), process.env, existsSync)),
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a bundle entry: loads its sibling bundle at run time
  parser: async () => require(parserBundle) as ContractParser,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`factory: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
