import type { Contract } from '../domain/contract';
import { invalid, valid, type Validated } from '../domain/errors';
import type { Stage } from '../domain/stage';
import { detectProject, ProjectFiles } from '../detect';
import type { ProjectProfile } from '../detect/types';
import { resolvePipeline } from './resolve';

/** A valid contract with its pipeline planned for the project it works on. */
export interface LoadedContract {
  contract: Contract;
  /** The resolved pipeline, every stage after what it needs. */
  pipeline: Stage[];
  /** What detection found: where the stages run, which of the project's tools each uses, and why. */
  profile: ProjectProfile;
}

/**
 * Plans a validated contract for the project under `root`: detects where its stages run and the
 * project's own tools (detect/), then resolves the pipeline with the contract's overrides. No zod
 * and no YAML (the stage runner calls it); `file` names the contract in messages.
 */
export function planContract(root: string, contract: Contract, file: string, files?: ProjectFiles): Validated<LoadedContract> {
  const profile = detectProject(
    root,
    { language: contract.language, allowed_files: contract.allowed_files, working_directory: contract.working_directory, file },
    files,
  );
  if ('message' in profile) return invalid([profile]);
  const pipeline = resolvePipeline(contract, file, profile);
  return pipeline.value ? valid({ contract, pipeline: pipeline.value, profile }) : invalid(pipeline.errors);
}
