import path from 'node:path';
import {
  FactoryError,
  readStageResult,
  readTextIfExists,
  stagesWithResults,
  taskCodeRoot,
  taskPaths,
  writeFileAtomicSync,
  type StageResult,
} from '@factory/core';
import { fenced, renderParts, trimHead, trimMiddle } from '../shared/budget';
import { parseJsonAnswer } from '../shared/json-answer';
import { openModeProvider, type ModeEnvironment } from '../shared/provider';
import { recordModeRun } from '../shared/record';
import { ModeSession } from '../shared/session';
import { describeContract, loadTaskContext, readTaskDiff } from '../shared/task-context';
import { runChangeOrder, type ChangeOrderResult } from '../change-order/run';
import type { TcrStep } from '../change-order/tcr';
import {
  DIAGNOSIS_FORMAT,
  DiagnosisSchema,
  errorLines,
  lastFailedStage,
  renderRescue,
  verifiedEvidence,
  type RescueReport,
} from './diagnosis';

export const RESCUE_SYSTEM = `You debug failed pipeline stages inside Factory, a system for contract-gated, human-approved code changes.
You get the failed stage's recorded result, the end of its log and the task's diff. Find the root
cause (the first thing that went wrong), quote the lines that show it, and propose a fix that stays
inside the task's contract.

${DIAGNOSIS_FORMAT}`;

const LOG_BUDGET = 12_000;
const DIFF_BUDGET = 16_000;

export interface RescueOptions {
  slug: string;
  /** Send the proposed fix through the change order (contract checks, TCR). */
  apply?: boolean;
  tcr?: TcrStep;
  codeRoot?: (root: string, slug: string) => string;
}

export interface RescueResult {
  /** `.factory/<slug>/rescue.md` */
  file: string;
  stage: string;
  diagnosed: boolean;
  report: RescueReport;
  applied?: ChangeOrderResult;
}

/**
 * Rescue: reads the newest failed stage's result and log (bounded) and the diff; with a model,
 * asks for a diagnosis (root cause, evidence lines, proposed fix), keeping only evidence really
 * in the log; without one, writes what the recorded summary and the log's error lines show, and
 * says so. Writes `.factory/<slug>/rescue.md`; `apply` sends the fix through the change order.
 */
export async function rescueTask(me: ModeEnvironment, options: RescueOptions): Promise<RescueResult> {
  const now = me.now ?? (() => new Date());
  const startedAt = now();
  const ctx = loadTaskContext(me.root, options.slug, options.codeRoot ?? taskCodeRoot);
  const results = stagesWithResults(me.root, ctx.slug)
    .map((s) => readStageResult(me.root, ctx.slug, s).result)
    .filter((r): r is StageResult => r !== undefined);
  const stage = lastFailedStage(results);
  if (!stage)
    throw new FactoryError(
      'NOTHING_FAILED',
      `${ctx.slug}: no stage has a failed result in ${taskPaths(ctx.slug).results}; run the pipeline first (nx run ${ctx.slug}:pipeline)`,
    );
  const log = readTextIfExists(path.join(me.root, stage.log_file)) ?? '';
  const provider = await openModeProvider(me);
  if (options.apply && !provider.model)
    throw new FactoryError('NO_PROVIDER', `rescue --apply needs a model, and ${provider.reason}. See docs/llm.md.`);

  let report: RescueReport;
  if (!provider.model) {
    report = {
      slug: ctx.slug,
      stage,
      reason: provider.reason,
      rootCause: stage.summary || '(the stage recorded no summary)',
      evidence: errorLines(log),
      droppedEvidence: 0,
    };
  } else {
    const session = new ModeSession('rescue', provider.model, provider.redactor, provider.prices, now);
    const diff = await readTaskDiff(ctx, DIFF_BUDGET);
    const prompt = [
      `# Failed stage ${stage.stage_name} of task ${ctx.slug}: ${ctx.task.title}`,
      `## Recorded result\n${fenced(JSON.stringify({ stage: stage.stage_name, command: stage.command, exit_code: stage.exit_code, timed_out: stage.timed_out, summary: stage.summary }, null, 2), 'json')}`,
      `## End of the log (${stage.log_file})\n${fenced(trimHead(log, LOG_BUDGET))}`,
      `## Contract\n${describeContract(ctx.contract)}`,
      `## Spec\n${ctx.spec ? trimMiddle(ctx.spec, 6_000) : '(none)'}`,
      renderParts('Diff against the base commit', { taken: diff.parts, omitted: diff.omitted }),
    ].join('\n\n');
    const text = await session.ask({ system: RESCUE_SYSTEM, messages: [{ role: 'user', content: prompt }], json: true, signal: me.signal });
    const parsed = parseJsonAnswer(text, DiagnosisSchema, 'a diagnosis');
    if (parsed.ok) {
      const { kept, dropped } = verifiedEvidence(parsed.value.evidence, log);
      report = {
        slug: ctx.slug,
        stage,
        model: session.label,
        rootCause: parsed.value.root_cause,
        evidence: kept,
        droppedEvidence: dropped,
        fix: parsed.value.proposed_fix,
      };
    } else {
      report = {
        slug: ctx.slug,
        stage,
        reason: `the model's answer could not be used: ${parsed.reason}`,
        rootCause: stage.summary,
        evidence: errorLines(log),
        droppedEvidence: 0,
      };
    }
    await recordModeRun(
      me.root,
      {
        slug: ctx.slug,
        mode: 'rescue',
        actor: me.actor,
        startedAt,
        finishedAt: now(),
        model: session.label,
        outcome: parsed.ok ? 'diagnosed' : 'unusable',
        details: { stage: stage.stage_name, apply: Boolean(options.apply) },
        usage: session.usage,
        transcript: session.transcript,
      },
      provider.redactor,
    );
  }
  const file = taskPaths(ctx.slug).dir + '/rescue.md';
  writeFileAtomicSync(path.join(me.root, file), provider.redactor.redact(renderRescue(report)));
  if (!provider.model) {
    await recordModeRun(
      me.root,
      {
        slug: ctx.slug,
        mode: 'rescue',
        actor: me.actor,
        startedAt,
        finishedAt: now(),
        outcome: 'summary_only',
        details: { stage: stage.stage_name, reason: provider.reason },
        usage: [],
        transcript: [],
      },
      provider.redactor,
    );
  }
  me.out?.(`factory › ${ctx.slug} › rescue: ${stage.stage_name}: ${report.rootCause.split('\n')[0]}\n  diagnosis written to ${file}\n`);

  let applied: ChangeOrderResult | undefined;
  if (options.apply) {
    if (!report.fix) throw new FactoryError('NO_FIX', `rescue could not propose a fix (${report.reason}); see ${file}`);
    applied = await runChangeOrder(me, {
      slug: ctx.slug,
      instruction: `Fix the failed stage ${stage.stage_name}.\nRoot cause: ${report.rootCause}\nFix: ${report.fix.summary}\n${report.fix.instruction}`,
      tcr: options.tcr,
      codeRoot: options.codeRoot,
    });
  }
  return { file, stage: stage.stage_name, diagnosed: report.model !== undefined, report, applied };
}
