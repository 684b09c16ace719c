import { createHash } from 'node:crypto';
import type { ProjectConfiguration, TargetConfiguration } from '@nx/devkit';
import { modeTargets } from './mode-targets';
import { STANDARD_STAGES, targetNeeds, TOOLCHAINS, type LoadedContract, type Stage } from '@factory/core';

export const STAGE_TARGET_PREFIX = 'stage-';
export const stageTarget = (name: string) => `${STAGE_TARGET_PREFIX}${name}`;

export interface TaskInference {
  slug: string;
  /** `.factory/<slug>` */
  projectRoot: string;
  /** The valid contract, or the validation message when it is not valid. */
  contract: LoadedContract | { error: string; stageNames: string[] };
  /** The stage runner's command, relative to the workspace root (see runner-path.ts). */
  runner: string;
  /** The same for a stage that speaks TLS (review); default: `runner`. */
  tlsRunner?: string;
  /** The variable the configured LLM's API key is read from (part of the review stage's cache key). */
  llmKeyEnv?: string;
  /** Whether `.factory/config.yaml` has an `llm:` section (the review stage's order: see validTargets). */
  llm?: boolean;
}

/**
 * Factory's files that can change a stage's verdict: the task's contract, the global contract and
 * config (its `env`). They follow the code globs (allowedFilesOf reads those back up to here).
 */
const CONTRACT_INPUTS = ['{projectRoot}/contract.yaml', '{workspaceRoot}/.factory/config.yaml', '{workspaceRoot}/.factory/contract.yaml'];

const WS = '{workspaceRoot}/';

/**
 * Allowed-file globs as Nx inputs. No `!.factory/**` after them: Nx applies a negated input to
 * every input of the set, which would drop the contract and config files too (their edits would
 * then replay stale verdicts). Results under `.factory/` are git-ignored, which keeps them out of
 * Nx's hashes; a `**` glob only adds the task's own committed files, which are inputs anyway.
 */
export function codeInputs(allowed: readonly string[]): string[] {
  return allowed.map((g) => `${WS}${g}`);
}

/**
 * The allowed-file globs of a task project, read back from its stage inputs (the dependency
 * pass needs them; keeping them only there keeps project configurations small).
 */
export function allowedFilesOf(project: Pick<ProjectConfiguration, 'namedInputs'>): string[] {
  const inputs = project.namedInputs?.[STAGE_INPUTS] ?? [];
  // The allowed globs are the inputs before the contract's file (stageInputs).
  const end = inputs.indexOf(CONTRACT_INPUTS[0]);
  return (end < 0 ? [] : inputs.slice(0, end)).filter((i): i is string => typeof i === 'string').map((i) => i.slice(WS.length));
}

/** The named input (on each task project) that every stage target's cache key uses. */
export const STAGE_INPUTS = 'factory-stage';

/**
 * The files of the Nx projects the task's code depends on, through the projects its allowed files
 * are in (dependencies.ts), and theirs in turn: a command stage's tests run that code too (an app
 * task's tests importing a workspace library replayed "1 passed" after the library broke them).
 * A target input, not part of STAGE_INPUTS: Nx refuses `^` in a named input. Built-in stages key
 * on the tree of the judged code, which holds these files already.
 */
export const DEPENDENCY_INPUTS = '^default';

/** The named input of built-in stages (contract, security): the stage inputs and a fingerprint of every changed file. */
export const BUILTIN_STAGE_INPUTS = 'factory-builtin-stage';

/**
 * A stage target. Kept small on purpose: Nx copies every project's configuration between its
 * plugin workers several times while building the graph, so bytes here cost time in every
 * command of a workspace with many tasks (see docs/benchmarks.md). So the command names the
 * stage and the runner reads the rest from the contract (from the parsed contracts inference
 * caches); the contract is among the inputs, so the cache key still covers all of it. Slugs and
 * stage names are validated names (letters, digits, `-`, `.`): nothing to quote.
 */
function stageTargetConfig(
  t: TaskInference,
  name: string,
  description: string,
  extra: Partial<TargetConfiguration>,
  tls = false,
  plan?: string,
): TargetConfiguration {
  return {
    command: `${tls ? (t.tlsRunner ?? t.runner) : t.runner} stage ${t.slug} ${name}${plan ? ` ${plan}` : ''}`,
    cache: true,
    outputs: [`{projectRoot}/results/stage-${name}.*`],
    metadata: { description },
    ...extra,
  };
}

/**
 * What a stage's cache key covers: the allowed code, the contract and config files, every file of
 * the directory the stages run in when it is not the root (the tests there import code outside the
 * allowed files: unjs/defu's tests of defu.ts import _utils.ts, whose edit replayed "23 passed"),
 * the toolchain's version;
 * inference adds the task's workspace when it records one (create-nodes.ts). Nothing
 * machine-specific: the same commit gives the same key in every checkout.
 */
function stageInputs(loaded: LoadedContract): NonNullable<TargetConfiguration['inputs']> {
  const { contract, profile } = loaded;
  const code = codeInputs(contract.allowed_files);
  // Not for stages at the root: Nx marks a project affected by every changed file its inputs name
  // under {workspaceRoot}, and `nx affected` follows the allowed files (a subdirectory's files
  // already affect the task through its dependency on that project).
  const where = profile.directory === '.' ? [] : [`${WS}${profile.directory}/**`];
  // The manifests and tool configurations detection read (a root eslint.config.mjs, a package.json).
  const detected = profile.watched.filter((f) => !f.startsWith('.factory/')).map((f) => `${WS}${f}`);
  const after = [...where, ...detected].filter((i, n, all) => !code.includes(i) && all.indexOf(i) === n);
  return [...code, ...CONTRACT_INPUTS, ...after, { runtime: TOOLCHAINS[contract.language].version }];
}

/**
 * What a built-in stage's cache key covers: the stage inputs, the task's base commit
 * (task.yaml), and the tree of the judged code, which inference adds per task (create-nodes.ts):
 * their answer depends on files outside `allowed_files` too (a forbidden file, a manifest, a
 * secret anywhere).
 */
function builtinStageInputs(): NonNullable<TargetConfiguration['inputs']> {
  return [STAGE_INPUTS, '{projectRoot}/task.yaml'];
}

/**
 * The review stage's key: the built-in stages' inputs, the spec it judges the change against,
 * and whether the API key is set (a review without one is advisory; with one it may block).
 * Nx hashes the variable's value into the key; the value itself is stored nowhere.
 */
function reviewInputs(t: TaskInference): NonNullable<TargetConfiguration['inputs']> {
  return [BUILTIN_STAGE_INPUTS, '{projectRoot}/spec.md', ...(t.llmKeyEnv ? [{ env: t.llmKeyEnv }] : [])];
}

function validTargets(t: TaskInference, loaded: LoadedContract): Record<string, TargetConfiguration> {
  const targets: Record<string, TargetConfiguration> = {};
  for (const stage of loaded.pipeline) {
    // Without an `llm:` section the review asks no model: it waits for nothing and needs no TLS.
    const review = stage.builtin === 'review';
    const asksModel = review && t.llm === true;
    const needs = targetNeeds(stage, t.llm === true);
    targets[stageTarget(stage.name)] = stageTargetConfig(
      t,
      stage.name,
      describeStage(stage),
      {
        ...(needs.length ? { dependsOn: needs.map(stageTarget) } : {}),
        inputs: review ? reviewInputs(t) : stage.builtin ? [BUILTIN_STAGE_INPUTS] : [STAGE_INPUTS, DEPENDENCY_INPUTS],
      },
      asksModel,
      planDigest(stage),
    );
  }
  Object.assign(targets, modeTargets());
  // The pipeline's key: every input of its stages, so identical stage keys make it a hit too.
  const stageKeys = Object.values(targets).flatMap((c) => c.inputs ?? []);
  const inputs = stageKeys.filter((i, n) => stageKeys.findIndex((j) => JSON.stringify(j) === JSON.stringify(i)) === n);
  targets.pipeline = pipelineTarget(
    Object.keys(targets).filter((n) => n.startsWith(STAGE_TARGET_PREFIX)),
    t.slug,
    { runner: t.runner, inputs },
  );
  targets.tcr = tcrTarget();
  return targets;
}

/** Test-Code-Revert in the task's workspace (never cached: it commits or reverts). */
function tcrTarget(): TargetConfiguration {
  return {
    executor: 'factory:tcr',
    cache: false,
    metadata: { description: 'Test-Code-Revert in the workspace: commit if the tests pass, else save and revert' },
  };
}

/** What the stage does and how (Nx shows what it needs: dependsOn). Short: see stageTargetConfig. */
function describeStage(stage: Stage): string {
  const what = stage.description || `Run stage ${stage.name}`;
  const advisory = stage.required_success ? '' : ' (advisory: a failure does not fail the pipeline)';
  if (stage.unavailable)
    return `${what}: ${stage.unavailable.kind === 'missing' ? 'MISSING' : 'not configured'}: ${stage.unavailable.message}${advisory}`;
  const how = stage.builtin
    ? 'built in'
    : `${stage.tool ? `${stage.tool}: ` : ''}${stage.command.split('\n')[0]}${stage.command.includes('\n') ? ' …' : ''}`;
  return `${what}: ${how}${advisory}`;
}

/**
 * What detection chose for a stage, as a digest the stage's command ends with (Nx hashes the
 * command, not the metadata): a tool installed, configured or removed since the last run changes
 * the stage's key though no input file did. In the command rather than in the target's options,
 * since Nx's cost per task follows the number of properties in its configuration
 * (docs/benchmarks.md); the runner accepts it and plans the stage again itself.
 */
function planDigest(stage: Stage): string | undefined {
  if (!stage.tool && !stage.unavailable) return undefined;
  const { tool, command, unavailable, findings, scope, coverage, fail_on_warnings } = stage;
  return createHash('sha256')
    .update(JSON.stringify({ tool, command, unavailable, findings, scope, coverage, fail_on_warnings }))
    .digest('hex')
    .slice(0, 16);
}

/**
 * `pipeline` depends on every stage. With a valid contract it runs the stage runner once more
 * to record the outcome: every required stage passed, so the task moves to ready_for_review.
 * It is cached on the union of its stages' inputs: a rerun on unchanged code is a full cache
 * hit, which records nothing new (no stage ran); approval moves the status from the evidence.
 */
function pipelineTarget(
  stageTargets: string[],
  slug: string,
  green?: { runner: string; inputs: NonNullable<TargetConfiguration['inputs']> },
): TargetConfiguration {
  return {
    ...(green
      ? { command: `${green.runner} pipeline ${slug}`, cache: true, inputs: green.inputs, outputs: [] }
      : { executor: 'nx:noop', cache: true }),
    dependsOn: stageTargets,
    metadata: { description: 'Run every stage of the pipeline, each after what it needs' },
  };
}

function invalidTargets(t: TaskInference, error: string, stageNames: string[]): Record<string, TargetConfiguration> {
  const names = [...new Set([...STANDARD_STAGES.map((s) => s.name), ...stageNames])];
  const targets: Record<string, TargetConfiguration> = {};
  for (const name of names) {
    // The runner reads the contract again and fails with the whole message.
    targets[stageTarget(name)] = stageTargetConfig(t, name, `Cannot run: the contract is invalid (${error.split('\n')[0]})`, {
      cache: false,
      outputs: [],
    });
  }
  targets.pipeline = pipelineTarget(Object.keys(targets), t.slug);
  targets.tcr = tcrTarget();
  return targets;
}

function namedInputs(t: TaskInference, loaded: LoadedContract): Record<string, NonNullable<TargetConfiguration['inputs']>> {
  const inputs: Record<string, NonNullable<TargetConfiguration['inputs']>> = { [STAGE_INPUTS]: stageInputs(loaded) };
  if (loaded.pipeline.some((s) => s.builtin)) inputs[BUILTIN_STAGE_INPUTS] = builtinStageInputs();
  return inputs;
}

/** Release targets of every task: a person's approval, then the rollout's steps. Never cached. */
export function releaseTargets(): Record<string, TargetConfiguration> {
  return {
    approve: {
      executor: 'factory:approve',
      cache: false,
      metadata: { description: 'Approve on fresh green evidence and start the rollout' },
    },
    rollout: {
      executor: 'factory:rollout',
      cache: false,
      metadata: { description: 'Move the rollout: next step after a health check, --to, --abort' },
    },
  };
}

/** The Nx project of one task. Pure: everything comes in through `t`. */
export function buildTaskProject(t: TaskInference): ProjectConfiguration {
  const ok = !('error' in t.contract);
  const targets = 'error' in t.contract ? invalidTargets(t, t.contract.error, t.contract.stageNames) : validTargets(t, t.contract);
  const language = 'error' in t.contract ? undefined : t.contract.contract.language;
  return {
    name: t.slug,
    root: t.projectRoot,
    ...('error' in t.contract ? {} : { namedInputs: namedInputs(t, t.contract) }),
    tags: ['factory:task', ...(language ? [`factory:lang:${language}`] : ['factory:invalid'])],
    targets: { ...targets, ...releaseTargets() },
    metadata: {
      description: ok ? `Factory task ${t.slug}` : `Factory task ${t.slug} (invalid contract)`,
      technologies: ['factory'],
    },
  };
}

/**
 * The project of a task that cannot be one (a slug another Nx project already has, a folder name
 * that is no slug, two tasks that differ only in case): its project loads, so every other
 * project and task still does, and each of its targets fails with the reason. The reason
 * travels in the target's environment, never in the shell command.
 */
export function refusedTaskProject(
  t: Pick<TaskInference, 'runner' | 'projectRoot'> & { name: string; reason: string },
): ProjectConfiguration {
  const refused: TargetConfiguration = {
    command: `${t.runner} refused`,
    options: { env: { FACTORY_REFUSAL: t.reason } },
    cache: false,
    metadata: { description: `Cannot run: ${t.reason}` },
  };
  const names = [...STANDARD_STAGES.map((s) => stageTarget(s.name)), 'pipeline', 'tcr', 'approve', 'rollout'];
  return {
    name: t.name,
    root: t.projectRoot,
    tags: ['factory:task', 'factory:invalid'],
    targets: Object.fromEntries(names.map((n) => [n, refused])),
    metadata: { description: `Factory task that cannot run: ${t.reason}`, technologies: ['factory'] },
  };
}
