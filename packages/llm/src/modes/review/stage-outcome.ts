import { Redactor } from '../../redact';
import { NO_LLM_SECTION, readFactoryConfig } from '../shared/factory-config';
import { reviewConfig } from '../shared/mode-config';
import { reviewNotRun } from './not-run';
import type { ReviewOutcome } from './run';

/** A finding as a stage result carries it (`rule` names the severity: `review/high`). */
export interface ReviewStageFinding {
  rule: string;
  file?: string;
  line?: number;
  message: string;
}

/** The shape a built-in stage handler returns (see core's `stage/builtin-stage.ts`). */
export interface ReviewStageOutcome {
  ok: boolean;
  summary: string;
  metrics: Record<string, number | string | boolean>;
  findings: ReviewStageFinding[];
  warnings: string[];
}

/** What the stage runner gives a built-in stage (the part review reads). */
export interface ReviewStageRun {
  invocation: { slug: string };
  root: string;
  codeRoot: string;
  log: (text: string) => void;
  signal: AbortSignal;
}

export function toStageOutcome(o: ReviewOutcome): ReviewStageOutcome {
  return {
    ok: o.ok,
    summary: o.summary,
    metrics: o.metrics,
    findings: o.findings.map((f) => ({
      rule: `review/${f.severity}`,
      ...(f.file ? { file: f.file } : {}),
      ...(f.line ? { line: f.line } : {}),
      message: f.message,
    })),
    warnings: o.ran ? [] : [o.summary],
  };
}

/**
 * The review stage when `.factory/config.yaml` has no `llm:` section: the not-run answer, given
 * without loading the provider SDKs (the stage runner's built-in stages bundle this module, not
 * `stage.ts`); undefined when there is a section, and the caller runs the review.
 */
export async function reviewStageWithoutModel(actor: string, run: ReviewStageRun): Promise<ReviewStageOutcome | undefined> {
  const config = readFactoryConfig(run.root);
  if (config.llm !== undefined) return undefined;
  const outcome = await reviewNotRun(
    { root: run.root, actor },
    {
      slug: run.invocation.slug,
      reason: NO_LLM_SECTION,
      blockAt: reviewConfig(config).block_at,
      startedAt: new Date(),
      redactor: new Redactor(),
    },
  );
  run.log(outcome.report);
  return toStageOutcome(outcome);
}
