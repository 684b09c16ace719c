import { createTaskWorkspace, FactoryError, runTcrCycle, setTaskStatus, taskCodeRoot, taskPaths } from '@factory/core';
import { totalUsage, type UsageTotals } from '../../usage';
import { trimMiddle } from '../shared/budget';
import { parseJsonAnswer } from '../shared/json-answer';
import { changeOrderConfig } from '../shared/mode-config';
import { openModeProvider, readFactoryConfig, type ModeEnvironment } from '../shared/provider';
import { recordModeRun } from '../shared/record';
import { ModeSession } from '../shared/session';
import { loadTaskContext, readTaskDiff } from '../shared/task-context';
import { applyFileChanges } from './apply';
import { ChangeOrderAnswerSchema } from './edits';
import { gatherEditFacts } from './facts';
import { allowedFilesOnDisk, CHANGE_ORDER_SYSTEM, changeOrderPrompt, failurePrompt } from './prompt';
import type { TcrStep } from './tcr';
import { cycleTcrStep } from './cycle-tcr';
import { vetEdits } from './vet';

export interface ChangeOrderOptions {
  slug: string;
  /** What to do; default: the spec's requirements and acceptance criteria. */
  instruction?: string;
  /** Overrides `change_order.max_attempts`. */
  maxAttempts?: number;
  /**
   * The TCR step; default: core's TCR cycle in the task's workspace (created first when the task
   * has none): the test stages pass → everything is committed; they fail → the attempt is saved
   * under `refs/factory/<slug>/reverted/<n>` and reverted.
   */
  tcr?: TcrStep;
  /** Where the task's code is (default: core's `taskCodeRoot`). */
  codeRoot?: (root: string, slug: string) => string;
}

export interface AttemptRecord {
  attempt: number;
  /** `malformed` (not a valid answer), `refused` (an edit broke a rule: nothing written), `reverted` (tests failed), `committed`. */
  outcome: 'malformed' | 'refused' | 'reverted' | 'committed';
  reasons: string[];
  files?: string[];
  commit?: string;
  savedAs?: string;
}

export interface ChangeOrderResult {
  outcome: 'committed' | 'needs_person';
  attempts: AttemptRecord[];
  commit?: string;
  /** Why a person is needed. */
  reason?: string;
  transcript?: string;
  usage: UsageTotals;
}

/**
 * A change order: asks the model for edits, checks every edit against the contract before
 * anything touches disk, applies the accepted ones in the task's code root and hands them to
 * TCR. A refused, malformed or reverted attempt sends its root cause back to the model, up to
 * `max_attempts`; then the task is marked `failed` with the reason, for a person to take over.
 * The transcript, attempts, tokens and cost go to `.factory/<slug>/` and the audit trail.
 */
export async function runChangeOrder(me: ModeEnvironment, options: ChangeOrderOptions): Promise<ChangeOrderResult> {
  const now = me.now ?? (() => new Date());
  const startedAt = now();
  let ctx = loadTaskContext(me.root, options.slug, options.codeRoot ?? taskCodeRoot);
  const config = changeOrderConfig(readFactoryConfig(me.root));
  const maxAttempts = options.maxAttempts ?? config.max_attempts;
  const instruction = options.instruction?.trim() || instructionFromSpec(ctx.spec);
  if (!instruction) {
    throw new FactoryError(
      'INSTRUCTION',
      `nothing to do: give --instruction "…", or write ${taskPaths(ctx.slug).spec} first (nx g factory:spec ${ctx.slug} --description "…")`,
    );
  }
  const provider = await openModeProvider(me);
  if (!provider.model)
    throw new FactoryError('NO_PROVIDER', `A change order needs a model, and ${provider.reason}. See docs/llm.md to configure one.`);
  let tcr = options.tcr;
  if (!tcr) {
    // Edits are made and judged in the task's workspace, never in the main tree.
    const ws = await createTaskWorkspace(me.root, ctx.slug, { actor: me.actor });
    if (ws.created)
      me.out?.(
        `factory › ${ctx.slug} › change-order: created the task's workspace ${ws.path} (${ws.backend}); the edits are made and tested there\n`,
      );
    ctx = loadTaskContext(me.root, options.slug, options.codeRoot ?? (() => ws.dir));
    tcr = cycleTcrStep(runTcrCycle, { actor: me.actor, out: me.out, ...(config.test_stages ? { stages: [...config.test_stages] } : {}) });
  }
  await setTaskStatus(me.root, ctx.slug, 'in_progress', { actor: me.actor, reason: 'change order started' });

  const session = new ModeSession('change-order', provider.model, provider.redactor, provider.prices, now);
  const out = (t: string) => me.out?.(`factory › ${ctx.slug} › change-order: ${t}\n`);
  const diff = await readTaskDiff(ctx, Math.floor(config.prompt_budget_chars * 0.2));
  const first = changeOrderPrompt({ ctx, instruction, files: await allowedFilesOnDisk(ctx), diff, budget: config.prompt_budget_chars });
  const history: { role: 'user' | 'assistant'; content: string }[] = [];
  const attempts: AttemptRecord[] = [];
  let commit: string | undefined;
  // The log of the last reverted attempt, for the next prompt.
  let lastLog: string | undefined;
  /** Reads, vets, applies and tests one answer. */
  const tryAnswer = async (text: string, attempt: number): Promise<AttemptRecord> => {
    const parsed = parseJsonAnswer(text, ChangeOrderAnswerSchema, 'a change order answer');
    if (!parsed.ok) return { attempt, outcome: 'malformed', reasons: [parsed.reason] };
    const facts = await gatherEditFacts(ctx.codeRoot, ctx.base, parsed.value.edits);
    const vetted = vetEdits(parsed.value.edits, facts, ctx.contract, {
      maxFileBytes: config.max_file_bytes,
      secretsAllowlist: (ctx.contract as { secrets_allowlist?: Parameters<typeof vetEdits>[3]['secretsAllowlist'] }).secrets_allowlist,
    });
    if (!vetted.ok) return { attempt, outcome: 'refused', reasons: vetted.refusals };
    const applied = applyFileChanges(ctx.codeRoot, vetted.changes);
    const summary = parsed.value.summary.split('\n')[0].slice(0, 200);
    const message = `${ctx.slug}: ${summary}\n\nFactory change order, attempt ${attempt}.`;
    let result;
    try {
      result = await tcr({
        root: me.root,
        codeRoot: ctx.codeRoot,
        slug: ctx.slug,
        attempt,
        message,
        summary,
        files: applied.files,
        restore: applied.restore,
        signal: me.signal,
      });
    } catch (e) {
      applied.restore();
      throw e;
    }
    if (result.committed) return { attempt, outcome: 'committed', reasons: [], files: applied.files, commit: result.commit };
    lastLog = result.log;
    return {
      attempt,
      outcome: 'reverted',
      reasons: [result.summary],
      files: applied.files,
      ...(result.savedAs ? { savedAs: result.savedAs } : {}),
    };
  };

  for (let attempt = 1; attempt <= maxAttempts && !commit; attempt++) {
    out(`attempt ${attempt} of ${maxAttempts}: asking ${session.label}`);
    const text = await session.ask({
      system: CHANGE_ORDER_SYSTEM,
      messages: [{ role: 'user', content: first }, ...history.slice(-4)],
      json: true,
      attempt,
      signal: me.signal,
    });
    const record = await tryAnswer(text, attempt);
    attempts.push(record);
    session.note(`attempt ${attempt}: ${record.outcome}${record.reasons.length ? `: ${record.reasons.join(' | ')}` : ''}`, attempt);
    out(
      `attempt ${attempt} ${record.outcome}${record.reasons.length ? `:\n  ${record.reasons.join('\n  ')}` : record.commit ? ` as ${record.commit.slice(0, 12)}` : ''}`,
    );
    if (record.outcome === 'committed') commit = record.commit;
    else {
      history.push({ role: 'assistant', content: trimMiddle(text, 8_000) });
      history.push({
        role: 'user',
        content: failurePrompt(
          attempt,
          record.reasons.join('\n'),
          record.outcome === 'reverted' ? lastLog : undefined,
          config.prompt_budget_chars,
          record.outcome === 'reverted',
        ),
      });
    }
  }

  let reason: string | undefined;
  if (!commit) {
    const last = attempts[attempts.length - 1];
    reason = `change order gave up after ${attempts.length} attempt${attempts.length === 1 ? '' : 's'}; a person must take over. Last attempt ${last.outcome}: ${trimMiddle(last.reasons.join('; '), 600)}`;
    await setTaskStatus(me.root, ctx.slug, 'failed', { actor: me.actor, reason });
    out(reason);
  }
  const outcome = commit ? 'committed' : 'needs_person';
  const transcript = await recordModeRun(
    me.root,
    {
      slug: ctx.slug,
      mode: 'change-order',
      actor: me.actor,
      startedAt,
      finishedAt: now(),
      model: session.label,
      outcome,
      details: {
        instruction: trimMiddle(instruction, 500),
        max_attempts: maxAttempts,
        attempts,
        ...(commit ? { commit } : {}),
        ...(reason ? { reason } : {}),
      },
      usage: session.usage,
      transcript: session.transcript,
    },
    provider.redactor,
  );
  return { outcome, attempts, commit, reason, transcript, usage: totalUsage(session.usage) };
}

/** The instruction a spec implies: its requirements and acceptance criteria (or all of it). */
export function instructionFromSpec(spec: string | undefined): string | undefined {
  if (!spec?.trim()) return undefined;
  return `Implement the task's spec (.factory/<slug>/spec.md, shown below): meet every requirement and make every acceptance criterion true, with tests.`;
}
