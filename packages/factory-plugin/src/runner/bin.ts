/**
 * The stage runner's process (`dist/runner/runner-main.cjs`, loaded and started by
 * `dist/runner/stage-runner.cjs` (src/runner/start.ts), which `bin/stage-runner.sh` starts): what every inferred stage target runs. See build.mjs for what it may contain and what it
 * loads on demand (the built-in stages, the status writer, the contract parser).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  actorWithEmail,
  automaticActor,
  coverageStage,
  taskCodeRoot,
  type BuiltinStageHandler,
  type BuiltinStageRegistry,
  type LifecycleModule,
} from '@factory/core';
import { contractCachePath } from './contract-cache';
import type { StageFacts } from './judged-code';
import { runnerMain } from './main';
import type { ContractParser } from './task-contract';
import { workspaceDataDirectory } from './workspace-data';

const here = path.dirname(path.resolve(process.argv[1] ?? '.'));
/** A bundle beside this one, loaded at run time (see build.mjs). */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loads a sibling bundle at run time
const sibling = <T>(name: string): T => require(path.join(here, name)) as T;

let builtinStages: Readonly<Record<string, BuiltinStageHandler>> | undefined;
const builtins: BuiltinStageRegistry = async (name) => {
  // coverage only reads the unit-test run's result: it needs none of the other bundle's zod and YAML.
  if (name === 'coverage') return coverageStage;
  builtinStages ??= sibling<{ builtinStages: Record<string, BuiltinStageHandler> }>('stage-builtins.cjs').builtinStages;
  return Object.hasOwn(builtinStages, name) ? builtinStages[name] : undefined;
};

// bin/stage-runner.sh starts this process without NODE_EXTRA_CA_CERTS (see docs/benchmarks.md);
// every command a stage runs gets it back as the user set it.
const savedCa = process.env.FACTORY_NODE_EXTRA_CA_CERTS;
if (savedCa !== undefined) {
  process.env.NODE_EXTRA_CA_CERTS = savedCa;
  delete process.env.FACTORY_NODE_EXTRA_CA_CERTS;
}

/**
 * Runs the command of the process's arguments (see runnerMain); `facts`: what start.ts began to
 * find out about a stage's code before this bundle loaded.
 */
export function startRunner(facts?: StageFacts): void {
  let actor: Promise<string> | undefined;
  const ac = new AbortController();
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(sig, () => ac.abort());
  runnerMain({
    args: process.argv.slice(2),
    cwd: process.cwd(),
    env: process.env,
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    signal: ac.signal,
    codeRoot: taskCodeRoot,
    early: facts,
    evidence: {
      actor: () => (actor ??= facts ? facts.email.then((e) => actorWithEmail(e)) : automaticActor(process.cwd())),
      lifecycle: async () => sibling<LifecycleModule>('stage-lifecycle.cjs'),
    },
    builtins,
    contractCache: contractCachePath(workspaceDataDirectory(process.cwd(), process.env, existsSync)),
    parser: async () => sibling<ContractParser>('contract-parser.cjs'),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`factory: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
