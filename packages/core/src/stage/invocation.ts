import type { Stage } from '../domain/stage';
import type { LoadedContract } from '../store/load';

/** A stage as the runner runs it: without what only Nx needs (its description, what it needs). */
export type RunnableStage = Omit<Stage, 'description' | 'needs'>;

/** One stage of one task, with what of the contract and config its run needs. */
export interface StageInvocation {
  slug: string;
  stage: RunnableStage;
  /** Where the command runs, relative to the task's code root (its workspace or the repository). */
  working_directory: string;
  required_test_coverage: number;
  /** Extra environment from `.factory/config.yaml` (`env:`). */
  env?: Record<string, string>;
}

/** A contract with what the runner also takes from `.factory/config.yaml`: the stages' extra environment. */
export type ContractWithEnv = LoadedContract & { env?: Record<string, string> };

/** The invocation of one stage of a valid contract; undefined when the contract has no such stage. */
export function stageInvocation(contract: ContractWithEnv, slug: string, stageName: string): StageInvocation | undefined {
  const stage = contract.pipeline.find((s) => s.name === stageName);
  if (!stage) return undefined;
  const { description: _d, needs: _n, ...runnable } = stage;
  const env = contract.env;
  return {
    slug,
    stage: runnable,
    working_directory: contract.profile.directory,
    required_test_coverage: contract.contract.required_test_coverage,
    ...(env && Object.keys(env).length ? { env } : {}),
  };
}

/** The stages whose passing results make the pipeline green. */
export const requiredStages = (contract: LoadedContract): string[] =>
  contract.pipeline.filter((s) => s.required_success).map((s) => s.name);
