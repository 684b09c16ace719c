import type { Contract } from '../domain/contract';
import { invalid, valid, type Validated } from '../domain/errors';
import type { Stage } from '../domain/stage';
import { detectProject, ProjectFiles } from '../detect';
import type { ProjectProfile } from '../detect/types';
import { resolvePipeline } from './resolve';
import { fromTool } from './standard';

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
export function planContract(root: string, contract: Contract, file: string, files = new ProjectFiles(root)): Validated<LoadedContract> {
  const request = {
    language: contract.language,
    allowed_files: contract.allowed_files,
    working_directory: contract.working_directory,
    file,
  };
  const profile = detectProject(root, request, files);
  if ('message' in profile) return invalid([profile]);
  const pipeline = resolvePipeline(contract, file, profile);
  if (!pipeline.value) return invalid(pipeline.errors);
  return movedStages(root, contract, file, files, { contract, pipeline: pipeline.value, profile });
}

/**
 * A `stages:` override that moves a stage detection planned (`working_directory` without a
 * `command`) gets the tool detection plans for that directory: the command planned for the
 * project's directory reads that directory's configuration (jmespath's `unit-test:
 * { working_directory: tests }` ran coverage.py without the `.coveragerc` that scoped it, and
 * measured the installed packages: 54 % for 99.5 %). The override's other fields still apply.
 */
function movedStages(
  root: string,
  contract: Contract,
  file: string,
  files: ProjectFiles,
  loaded: LoadedContract,
): Validated<LoadedContract> {
  let { pipeline, profile } = loaded;
  for (const [name, o] of Object.entries(contract.stages)) {
    if (o.working_directory === undefined || o.command !== undefined || o.builtin !== undefined) continue;
    const at = pipeline.findIndex((s) => s.name === name);
    if (at < 0 || pipeline[at].tool === undefined || pipeline[at].builtin !== undefined) continue;
    if (o.working_directory.replace(/\/+$/, '') === profile.directory) continue;
    const there = detectProject(
      root,
      { language: contract.language, allowed_files: contract.allowed_files, working_directory: o.working_directory, file },
      files,
    );
    if ('message' in there) return invalid([{ ...there, field: `stages.${name}.working_directory` }]);
    const planned = fromTool(name, there);
    if (!planned?.command)
      return invalid([
        {
          file,
          field: `stages.${name}.working_directory`,
          message: `expected a directory where ${contract.language} has a ${name} tool, got ${there.directory}, where detection plans none; give stages.${name} a command`,
        },
      ]);
    const {
      command: _c,
      unavailable: _u,
      coverage: _v,
      findings: _f,
      scope: _s,
      fail_on_warnings: _w,
      tool: _t,
      why: _y,
      not_judged: _n,
      ...rest
    } = pipeline[at];
    const moved = {
      ...rest,
      ...planned,
      ...(o.findings !== undefined ? { findings: o.findings } : {}),
      ...(o.scope !== undefined ? { scope: o.scope } : {}),
      ...(o.fail_on_warnings !== undefined ? { fail_on_warnings: o.fail_on_warnings } : {}),
      ...(o.coverage !== undefined ? { coverage: o.coverage } : {}),
      why: `${planned?.why ?? 'planned'} (planned for ${there.directory}, where stages.${name}.working_directory moves it)`,
    } as Stage;
    pipeline = pipeline.map((s, i) => (i === at ? moved : s));
    profile = { ...profile, watched: [...new Set([...profile.watched, ...there.watched])] };
  }
  return valid({ ...loaded, pipeline, profile });
}
