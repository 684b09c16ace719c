import { taskCodeRoot } from '@factory/core';
import { totalUsage } from '../../usage';
import { parseJsonAnswer } from '../shared/json-answer';
import { reviewConfig } from '../shared/mode-config';
import { openModeProvider, readFactoryConfig, type ModeEnvironment } from '../shared/provider';
import { recordModeRun } from '../shared/record';
import { ModeSession } from '../shared/session';
import { loadTaskContext, readTaskDiff } from '../shared/task-context';
import { blockingFindings, formatFinding, ReviewAnswerSchema, type Finding } from './findings';
import { reviewPrompt, REVIEW_SYSTEM } from './prompt';
import { reviewNotRun } from './not-run';
import { renderReviewReport } from './report';

/** What the review stage reports, whatever runs it (the built-in stage or the review executor). */
export interface ReviewOutcome {
  /** False when no provider is configured: the stage is then advisory and passes. */
  ran: boolean;
  /** False only when a finding is at or above `review.block_at`. */
  ok: boolean;
  /** 1-2 lines for the stage result. */
  summary: string;
  findings: Finding[];
  blocking: Finding[];
  /** The readable report (the stage's log). */
  report: string;
  metrics: Record<string, number | string | boolean>;
}

/**
 * Reviews a task's change: the diff against its base commit with its spec and contract go to
 * the model, whose findings (severity, file, line, message) are validated; findings at or
 * above `review.block_at` fail the stage. Without a provider the review does not run: the
 * outcome passes as advisory and says why. An answer that is not valid findings fails the
 * stage (an unreadable review is no review), saying what was wrong with it.
 */
export async function reviewTask(
  me: ModeEnvironment,
  options: { slug: string; codeRoot?: (root: string, slug: string) => string },
): Promise<ReviewOutcome> {
  const now = me.now ?? (() => new Date());
  const startedAt = now();
  const ctx = loadTaskContext(me.root, options.slug, options.codeRoot ?? taskCodeRoot);
  const config = reviewConfig(readFactoryConfig(me.root));
  const provider = await openModeProvider(me);
  if (!provider.model) {
    return reviewNotRun(me, { slug: ctx.slug, reason: provider.reason, blockAt: config.block_at, startedAt, redactor: provider.redactor });
  }

  const diff = await readTaskDiff(ctx, Math.floor(config.prompt_budget_chars * 0.6));
  const session = new ModeSession('review', provider.model, provider.redactor, provider.prices, now);
  const text = await session.ask({
    system: REVIEW_SYSTEM,
    messages: [{ role: 'user', content: reviewPrompt(ctx, diff, config.prompt_budget_chars) }],
    json: true,
    signal: me.signal,
  });
  const parsed = parseJsonAnswer(text, ReviewAnswerSchema, 'review findings');
  const findings = parsed.ok ? parsed.value.findings : [];
  const blocking = blockingFindings(findings, config.block_at);
  const ok = parsed.ok && blocking.length === 0;
  const usage = totalUsage(session.usage);
  const summary = !parsed.ok
    ? `the review answer was unusable: ${parsed.reason}`
    : blocking.length
      ? `${blocking.length} blocking finding${blocking.length === 1 ? '' : 's'} (at or above ${config.block_at}): ${formatFinding(blocking[0])}`
      : `${findings.length} finding${findings.length === 1 ? '' : 's'}, none at or above ${config.block_at}`;
  const outcome = !parsed.ok ? 'unusable' : blocking.length ? 'blocked' : 'passed';
  const transcript = await recordModeRun(
    me.root,
    {
      slug: ctx.slug,
      mode: 'review',
      actor: me.actor,
      startedAt,
      finishedAt: now(),
      model: session.label,
      outcome,
      details: { block_at: config.block_at, findings: findings.length, blocking: blocking.length, files: diff.files.length },
      usage: session.usage,
      transcript: session.transcript,
    },
    provider.redactor,
  );
  const report = renderReviewReport({
    slug: ctx.slug,
    ran: true,
    summary: parsed.ok ? parsed.value.summary : `The answer could not be used: ${parsed.reason}.`,
    model: session.label,
    blockAt: config.block_at,
    findings,
    blocking,
    files: diff.files.map((f) => f.path),
    omitted: diff.omitted,
  });
  return {
    ran: true,
    ok,
    summary,
    findings,
    blocking,
    report: transcript ? `${report}Transcript: ${transcript}\n` : report,
    metrics: {
      review_ran: true,
      findings: findings.length,
      blocking_findings: blocking.length,
      model: session.label,
      input_tokens: usage.inputTokens,
      output_tokens: usage.outputTokens,
      ...(usage.costUsd === undefined ? {} : { cost_usd: usage.costUsd }),
    },
  };
}
