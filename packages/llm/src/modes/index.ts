/** The four LLM modes: intake, review, change order and rescue (no Nx; the plugin adapts them). */
export { openModeProvider, readFactoryConfig, type ModeEnvironment, type ModeProvider } from './shared/provider';
export {
  ReviewConfigSchema,
  ChangeOrderConfigSchema,
  SEVERITIES,
  type Severity,
  type ReviewConfig,
  type ChangeOrderConfig,
} from './shared/mode-config';
export { recordModeRun, type ModeRun } from './shared/record';
export type { ModeName, TranscriptEntry } from './shared/session';
export { draftSpec, type IntakeOptions, type IntakeResult } from './intake/run';
export { proposeContract, SpecDraftSchema, type ProjectRef, type ContractProposal, type SpecDraft } from './intake/spec-draft';
export { reviewTask, type ReviewOutcome } from './review/run';
export { reviewStageHandler, reviewStageWithoutModel, toStageOutcome, type ReviewStageOutcome, type ReviewStageRun } from './review/stage';
export { FindingSchema, ReviewAnswerSchema, blockingFindings, type Finding } from './review/findings';
export { runChangeOrder, type ChangeOrderOptions, type ChangeOrderResult, type AttemptRecord } from './change-order/run';
export { ChangeOrderAnswerSchema, EditSchema, type Edit, type ChangeOrderAnswer } from './change-order/edits';
export { vetEdits, type EditFacts, type FileChange, type Vetting } from './change-order/vet';
export { pathProblem } from './change-order/paths';
export type { TcrStep, TcrRequest, TcrOutcome } from './change-order/tcr';
export { cycleTcrStep, type TcrCycle, type TcrCycleOutcome } from './change-order/cycle-tcr';
export { rescueTask, type RescueOptions, type RescueResult } from './rescue/run';
