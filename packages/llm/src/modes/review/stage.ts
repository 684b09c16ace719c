import path from 'node:path';
import { codeFingerprint, stageResultFiles, taskCodeRoot, toJson, writeFileAtomicSync, type StageResult } from '@factory/core';
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
  spec: { slug: string };
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
    const outcome = await reviewTask({ ...base, root: run.root, signal: run.signal }, { slug: run.spec.slug, codeRoot: () => run.codeRoot });
    run.log(outcome.report);
    return toStageOutcome(outcome);
  };
}

export function toStageOutcome(o: ReviewOutcome): ReviewStageOutcome {
  return {
    ok: o.ok,
    summary: o.summary,
    metrics: o.metrics,
    findings: o.findings.map((f) => ({ rule: `review/${f.severity}`, ...(f.file ? { file: f.file } : {}), ...(f.line ? { line: f.line } : {}), message: f.message })),
    warnings: o.ran ? [] : [o.summary],
  };
}

/**
 * Runs the review and writes `results/stage-review.json` and `.log` the way the stage runner
 * writes any stage's, with the fingerprint of the code it reviewed: used by the `review`
 * executor (the `stage-review` target) while the stage runner has no built-in stages. Not run
 * (no provider): status `success` with `review_ran: false` and the reason as a warning, as
 * the built-in stage reports it, so approval by a person is not blocked by a missing LLM.
 */
export async function runReviewStage(me: ModeEnvironment, slug: string, codeRoot?: (root: string, slug: string) => string): Promise<StageResult> {
  const files = stageResultFiles(slug, 'review');
  const started = new Date();
  let outcome: ReviewOutcome;
  try {
    outcome = await reviewTask(me, { slug, codeRoot });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    outcome = { ran: true, ok: false, summary: message.split('\n')[0], findings: [], blocking: [], report: `Review of ${slug} FAILED to run:\n${message}\n`, metrics: { review_ran: false } };
  }
  const finished = new Date();
  const staged = toStageOutcome(outcome);
  const result: StageResult & { findings?: ReviewStageFinding[]; warnings?: string[] } = {
    stage_name: 'review',
    slug,
    status: outcome.ok ? 'success' : 'failure',
    advisory: false,
    exit_code: outcome.ok ? 0 : 1,
    timed_out: false,
    duration_ms: finished.getTime() - started.getTime(),
    started_at: started.toISOString(),
    finished_at: finished.toISOString(),
    command: '(built in: review)',
    summary: outcome.summary,
    metrics: outcome.metrics,
    log_file: files.log,
    code_fingerprint: await codeFingerprint((codeRoot ?? taskCodeRoot)(me.root, slug)),
    findings: staged.findings,
    ...(staged.warnings.length ? { warnings: staged.warnings } : {}),
  };
  writeFileAtomicSync(path.join(me.root, files.log), outcome.report);
  writeFileAtomicSync(path.join(me.root, files.json), toJson(result));
  me.out?.(outcome.report);
  return result;
}
