import type { Redactor } from '../../redact';
import { recordModeRun } from '../shared/record';
import { renderReviewReport } from './report';
import type { ReviewOutcome } from './run';

/**
 * The review when there is no model to ask: recorded as a skipped run with the reason, and an
 * outcome that passes as advisory (a person reviews at approval). Kept apart from `run.ts` so
 * that the stage runner can give this answer without loading the provider SDKs (`stage.ts`).
 */
export async function reviewNotRun(
  me: { root: string; actor: string; now?: () => Date },
  run: { slug: string; reason: string; blockAt: string; startedAt: Date; redactor: Redactor },
): Promise<ReviewOutcome> {
  const now = me.now ?? (() => new Date());
  await recordModeRun(
    me.root,
    {
      slug: run.slug,
      mode: 'review',
      actor: me.actor,
      startedAt: run.startedAt,
      finishedAt: now(),
      outcome: 'skipped',
      details: { reason: run.reason },
      usage: [],
      transcript: [],
    },
    run.redactor,
  );
  const report = renderReviewReport({
    slug: run.slug,
    ran: false,
    summary: `Why: ${run.reason}.`,
    blockAt: run.blockAt,
    findings: [],
    blocking: [],
    files: [],
    omitted: [],
  });
  const summary = `review did not run: ${run.reason}; advisory, a person reviews at approval`;
  return { ran: false, ok: true, summary, findings: [], blocking: [], report, metrics: { review_ran: false } };
}
