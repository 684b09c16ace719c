import type { BuiltinStageHandler } from '../builtin-stage';
import { contractStage } from './contract-stage';
import { coverageStage } from './coverage-stage';
import { securityStage } from './security-stage';

export { contractStage } from './contract-stage';
export { coverageStage, COVERAGE_SOURCE_STAGE } from './coverage-stage';
export { securityStage, describeSecret, DEPENDENCY_AUDIT_NOTE } from './security-stage';
export { isFactoryState, openTaskDiff, taskChanges, taskPath, type TaskBase, type TaskDiff } from './task-diff';

/** The built-in stages implemented in core, by name (see `../builtin-stage.ts`). */
export const CORE_BUILTIN_STAGES: Readonly<Record<string, BuiltinStageHandler>> = {
  contract: contractStage,
  security: securityStage,
  coverage: coverageStage,
};
