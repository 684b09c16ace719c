import { FactoryError, formatProblem } from '../domain/errors';
import type { Stage } from '../domain/stage';
import type { Task } from '../domain/task';
import { compileGlobs, type PathMatcher } from '../repo/glob';
import { loadContract, loadTask } from '../store/load';
import type { WorkspaceBackend, WorkspaceRef } from '../workspace/backend';
import { taskBranch } from '../workspace/pointer';
import { existingTaskWorkspace } from '../workspace/code-root';
import type { CommandRunner } from '../workspace/command-runner';
import { readFactoryConfig } from '../workspace/settings';
import { backendOf, requireTaskWorkspace } from '../workspace/task-workspace';
import { resolveTcrSettings, type TcrOverrides, type TcrSettings } from './settings';
import { tcrStages } from './stages';

/** Everything a TCR cycle needs, read and checked before anything runs. */
export interface TcrPlan {
  task: Task;
  ws: WorkspaceRef;
  /** git: the task's branch (`factory/<slug>`), where TCR commits. */
  branch?: string;
  backend: WorkspaceBackend;
  settings: TcrSettings;
  build: Stage[];
  tests: Stage[];
  isTest: PathMatcher;
  /** From the contract, for the stage runs. */
  workingDirectory: string;
  requiredCoverage: number;
  env: Record<string, string>;
}

/** Reads the task, its workspace, contract and TCR settings; throws a FactoryError naming what is wrong. */
export function planTcr(root: string, slug: string, overrides: TcrOverrides, runner?: CommandRunner, backend?: WorkspaceBackend): TcrPlan {
  const t = loadTask(root, slug);
  if (!t.value) throw new FactoryError('TASK', t.errors.map(formatProblem).join('\n'), { file: `.factory/${slug}/task.yaml` });
  const existing = existingTaskWorkspace(root, slug) ?? requireTaskWorkspace(root, slug);
  const c = loadContract(root, slug);
  if (!c.value) throw new FactoryError('CONTRACT', c.errors.map(formatProblem).join('\n'), { file: `.factory/${slug}/contract.yaml` });
  const config = readFactoryConfig(root);
  const settings = resolveTcrSettings(config.tcr, overrides);
  const { build, tests } = tcrStages(c.value.pipeline, settings.stages, `.factory/${slug}/contract.yaml`);
  return {
    task: t.value,
    ws: { slug, dir: existing.dir },
    ...(existing.backend === 'git' ? { branch: taskBranch(slug) } : {}),
    backend: backend ?? backendOf(root, existing, runner),
    settings,
    build,
    tests,
    isTest: compileGlobs(settings.test_patterns),
    workingDirectory: c.value.profile.directory,
    requiredCoverage: c.value.contract.required_test_coverage,
    env: config.env,
  };
}
