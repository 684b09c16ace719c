import type { ProjectConfiguration, TargetConfiguration } from '@nx/devkit';
import { STAGE_SPEC_ENV, STANDARD_STAGES, TOOLCHAINS, type LoadedContract, type Stage, type StageRunSpec } from '@factory/core';

export const STAGE_TARGET_PREFIX = 'stage-';
export const stageTarget = (name: string) => `${STAGE_TARGET_PREFIX}${name}`;

export interface TaskInference {
  slug: string;
  /** `.factory/<slug>` */
  projectRoot: string;
  /** The valid contract, or the validation message when it is not valid. */
  contract: LoadedContract | { error: string; stageNames: string[] };
  /** `node <path>/stage-runner.cjs`, relative to the workspace root. */
  runner: string;
  /** Prints the content hash of the task's workspace (a runtime cache input; see workspace-input.ts). */
  codeHash?: string;
}

/** Project files that, with the allowed code, make up a stage's cache key. Results are not among them. */
const TASK_INPUTS = [
  '{projectRoot}/task.yaml',
  '{projectRoot}/contract.yaml',
  '{workspaceRoot}/.factory/config.yaml',
  '{workspaceRoot}/.factory/contract.yaml',
];

/** Allowed-file globs as Nx inputs. Factory's own state under `.factory/` never is one. */
export function codeInputs(allowed: readonly string[]): string[] {
  if (allowed.length === 0) return [];
  return [...allowed.map((g) => `{workspaceRoot}/${g}`), '!{workspaceRoot}/.factory/**'];
}

function stageTargetConfig(
  t: TaskInference,
  spec: StageRunSpec,
  description: string,
  extra: Partial<TargetConfiguration>,
): TargetConfiguration {
  return {
    executor: 'nx:run-commands',
    options: {
      command: t.runner,
      env: { [STAGE_SPEC_ENV]: JSON.stringify(spec) },
      forwardAllArgs: false,
    },
    cache: true,
    outputs: [`{projectRoot}/results/stage-${spec.stage?.name ?? 'invalid'}.json`, `{projectRoot}/results/stage-${spec.stage?.name ?? 'invalid'}.log`],
    metadata: { description, technologies: ['factory'] },
    ...extra,
  };
}

function validTargets(t: TaskInference, loaded: LoadedContract): Record<string, TargetConfiguration> {
  const { contract, pipeline } = loaded;
  const toolchain = TOOLCHAINS[contract.language];
  const inputs = [
    ...TASK_INPUTS,
    ...codeInputs(contract.allowed_files),
    { runtime: toolchain.version },
    // The task's workspace is ignored by Nx: its content reaches the cache key through this.
    ...(t.codeHash ? [{ runtime: t.codeHash }] : []),
  ];
  const targets: Record<string, TargetConfiguration> = {};
  for (const stage of pipeline) {
    const spec: StageRunSpec = {
      v: 1,
      slug: t.slug,
      stage,
      working_directory: contract.working_directory,
      required_test_coverage: contract.required_test_coverage,
    };
    targets[stageTarget(stage.name)] = stageTargetConfig(t, spec, describeStage(stage), {
      dependsOn: stage.needs.map(stageTarget),
      inputs,
    });
  }
  targets.pipeline = pipelineTarget(pipeline.map((s) => stageTarget(s.name)), t.slug);
  targets.tcr = tcrTarget(t.slug);
  return targets;
}

/** Test-Code-Revert in the task's workspace (never cached: it commits or reverts). */
function tcrTarget(slug: string): TargetConfiguration {
  return {
    executor: 'factory:tcr',
    options: {},
    cache: false,
    metadata: {
      description: `Test-Code-Revert in ${slug}'s workspace: run the test stages; commit when they pass, save the attempt and revert when they fail`,
      technologies: ['factory'],
      help: { command: 'factory tcr --help', example: { options: { variant: 'strict', watch: true } } },
    },
  };
}

function describeStage(stage: Stage): string {
  const what = stage.description || `Run stage ${stage.name}`;
  const needs = stage.needs.length ? ` after ${stage.needs.join(', ')}` : '';
  const advisory = stage.required_success ? '' : ' (advisory: a failure is recorded but does not fail the pipeline)';
  return `${what}${needs}: ${stage.command}${advisory}`;
}

function pipelineTarget(stageTargets: string[], slug: string): TargetConfiguration {
  return {
    executor: 'nx:noop',
    dependsOn: stageTargets,
    cache: true,
    metadata: {
      description: `Run every stage of ${slug}'s pipeline (independent stages in parallel, each after what it needs)`,
      technologies: ['factory'],
    },
  };
}

function invalidTargets(t: TaskInference, error: string, stageNames: string[]): Record<string, TargetConfiguration> {
  const names = [...new Set([...STANDARD_STAGES.map((s) => s.name), ...stageNames])];
  const targets: Record<string, TargetConfiguration> = {};
  for (const name of names) {
    targets[stageTarget(name)] = stageTargetConfig(
      t,
      { v: 1, slug: t.slug, error, working_directory: '.', required_test_coverage: 0 },
      `Cannot run: the contract is invalid (${error.split('\n')[0]})`,
      { cache: false, outputs: [] },
    );
  }
  targets.pipeline = pipelineTarget(Object.keys(targets), t.slug);
  targets.tcr = tcrTarget(t.slug);
  return targets;
}

/** The Nx project of one task. Pure: everything comes in through `t`. */
export function buildTaskProject(t: TaskInference): ProjectConfiguration {
  const ok = !('error' in t.contract);
  const targets = 'error' in t.contract
    ? invalidTargets(t, t.contract.error, t.contract.stageNames)
    : validTargets(t, t.contract);
  const language = 'error' in t.contract ? undefined : t.contract.contract.language;
  return {
    name: t.slug,
    root: t.projectRoot,
    projectType: 'library',
    tags: ['factory:task', ...(language ? [`factory:lang:${language}`] : ['factory:invalid'])],
    targets,
    metadata: {
      description: ok ? `Factory task ${t.slug}` : `Factory task ${t.slug} (invalid contract)`,
      technologies: ['factory'],
      targetGroups: { 'Factory pipeline': Object.keys(targets) },
      factory: {
        allowed_files: 'error' in t.contract ? [] : t.contract.contract.allowed_files,
      },
    } as ProjectConfiguration['metadata'],
  };
}
