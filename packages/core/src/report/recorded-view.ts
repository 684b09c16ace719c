import type { FileReader } from '../detect/fs';
import type { Contract } from '../domain/contract';
import { contractStageOf } from './contract-view';
import { lifecycleView } from './lifecycle-view';
import { llmUsage } from './llm-usage';
import { rolloutChart } from './rollout-chart';
import { readStageExtras } from './stage-extras';
import { recordedTaskDetails } from './task-details';
import { taskChain } from './task-chain';
import type { ContractTerms, RecordedTaskView } from './task-view';

/**
 * What a task's files under `.factory/` record for its view (YAML, zod): its details, each
 * stage's extras, its lifecycle, the terms of its contract, its rollout chart, LLM usage and
 * audit chain verified.
 * Detection reads the project's files through `reader` (default: the disk). `completeTaskView`
 * makes the view of it.
 */
export function recordedTaskView(root: string, slug: string, reader?: FileReader): RecordedTaskView {
  const { details, contract, rolloutProblems } = recordedTaskDetails(root, slug, reader);
  // The history, not one log: it holds every event whichever file records it.
  const events = details.history;
  const extras = details.stages.map((s) => readStageExtras(root, slug, s.name));
  const llmProblems: string[] = [];
  const llm = llmUsage(root, slug, events, llmProblems);
  return {
    details,
    rolloutProblems,
    extras,
    lifecycle: lifecycleView(details.status, details.reason, events),
    ...(contract ? { contract: { terms: contractTerms(contract.contract), stage: contractStageOf(contract.pipeline)?.name } } : {}),
    ...(details.rollout ? { rollout_chart: rolloutChart(details.rollout, events) } : {}),
    ...(llm ? { llm } : {}),
    llmProblems,
    chain: taskChain(root, slug),
  };
}

function contractTerms(c: Contract): ContractTerms {
  const { allowed_files, forbidden_files, new_dependencies_allowed, line_budget_exclude, max_lines_changed, required_test_coverage } = c;
  return { allowed_files, forbidden_files, new_dependencies_allowed, line_budget_exclude, max_lines_changed, required_test_coverage };
}
