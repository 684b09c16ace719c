import type { ModeEnvironment } from '../shared/provider';
import { reviewTask, type ReviewOutcome } from './run';

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

/**
 * The `review` stage as a built-in stage handler: a thin adapter from the stage runner to
 * `reviewTask`. The report goes to the stage's log; findings carry their severity in `rule`.
 */
export function reviewStageHandler(base: Omit<ModeEnvironment, 'root' | 'signal'>) {
  return async (run: ReviewStageRun): Promise<ReviewStageOutcome> => {
    const outcome = await reviewTask(
      { ...base, root: run.root, signal: run.signal },
      { slug: run.invocation.slug, codeRoot: () => run.codeRoot },
    );
    run.log(outcome.report);
    return toStageOutcome(outcome);
  };
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
