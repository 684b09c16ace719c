import { appendAuditEvent } from '../audit/append';
import { checkpointAfterDecision, type DecisionCheckpoint } from '../audit/decision-checkpoint';
import { FactoryError, formatProblem } from '../domain/errors';
import type { StageResult } from '../domain/results';
import type { TaskStatus } from '../domain/task';
import { gitUserEmail } from '../lifecycle/actor';
import { pathTo } from '../lifecycle/stage-status';
import { setTaskStatus } from '../lifecycle/status';
import type { RolloutStrategy } from '../rollout/config';
import { loadRolloutConfig } from '../rollout/load-config';
import { startRollout, withRolloutLock, type RolloutOutcome } from '../rollout/rollout';
import { loadContract, loadTask } from '../store/load';
import { readStageResult } from '../store/results';
import { taskCodeRoot } from '../workspace/code-root';
import { attestApproval } from '../evidence/approval-summary';
import { judgeStageEvidence } from '../evidence/judge-stage-evidence';
import { adviceFor, ciVariable, isCi, judgeEvidence, stagesNeeded, type Refusal, type StageEvidence } from './judge';
import { codeTreeId } from '../code-hash/tree';
import { runGit } from '../repo/git';

export interface ApproveOptions {
  strategy: RolloutStrategy;
  /** Who approves; default: git's user.email. */
  actor?: string;
  /** Skip the confirmation question. */
  yes?: boolean;
  env?: Record<string, string | undefined>;
  /** Asks the person to confirm; absent (no terminal): approval needs `yes`. */
  confirm?: (question: string) => Promise<boolean>;
  now?: () => Date;
  fetch?: typeof fetch;
}

export interface ApprovalOutcome {
  slug: string;
  approved: boolean;
  actor?: string;
  strategy: RolloutStrategy;
  stages: StageEvidence[];
  code_tree?: string;
  refusals: Refusal[];
  rollout?: RolloutOutcome;
  /** The audit checkpoint signed after the approval (see checkpointAfterDecision). */
  checkpoint?: DecisionCheckpoint;
  message: string;
}

/** Approval refused: the message lists every reason and what to do. */
export class ApprovalRefusedError extends FactoryError {
  readonly outcome: ApprovalOutcome;
  constructor(outcome: ApprovalOutcome) {
    super('APPROVAL_REFUSED', outcome.message);
    this.name = 'ApprovalRefusedError';
    this.outcome = outcome;
  }
}

const SETTLED: readonly TaskStatus[] = ['deploying', 'deployed_to_staging', 'deployed_to_production', 'done'];

function refusedMessage(slug: string, refusals: readonly Refusal[]): string {
  return [`Approval of ${slug} refused:`, ...refusals.map((r) => `  - ${r.message}`), ...adviceFor(slug, refusals)].join('\n');
}

/**
 * A person's approval of a task, and the start of its rollout. Refused (and recorded as
 * `approval_refused`) when CI is set, when a needed stage has no passing result, or when a
 * result is stale (made before the last change to the task's code); when no actor is known;
 * when the person does not confirm. Else records `approved_by_human` with the evidence, moves
 * the task to review_approved → deploying, and starts the rollout.
 */
export async function approveTask(root: string, slug: string, options: ApproveOptions): Promise<ApprovalOutcome> {
  const env = options.env ?? process.env;
  const base: ApprovalOutcome = { slug, approved: false, strategy: options.strategy, stages: [], refusals: [], message: '' };
  const actor = options.actor?.trim() || (await gitUserEmail(root, env));
  const refuse = async (refusals: Refusal[], extra: Partial<ApprovalOutcome> = {}): Promise<never> => {
    const outcome = { ...base, ...extra, ...(actor ? { actor } : {}), refusals, message: refusedMessage(slug, refusals) };
    await appendAuditEvent(root, {
      task: slug,
      actor: actor ?? 'unknown',
      action: 'approval_refused',
      outcome: refusals[0].code.toLowerCase(),
      details: { strategy: options.strategy, reasons: refusals.map((r) => r.message) },
    }).catch(() => undefined);
    throw new ApprovalRefusedError(outcome);
  };

  if (isCi(env)) {
    const v = ciVariable(env) as string;
    await refuse([{ code: 'CI', message: `this runs in CI (${v}=${env[v]}): approval is for a person, never for an automated run` }]);
  }
  const task = loadTask(root, slug);
  if (!task.value) throw new FactoryError('TASK', task.errors.map(formatProblem).join('\n'));
  const contract = loadContract(root, slug);
  if (!contract.value) {
    await refuse([
      {
        code: 'CONTRACT',
        message: `the contract is invalid, so there is no evidence to judge:\n${contract.errors.map(formatProblem).join('\n')}`,
      },
    ]);
  }
  const loaded = contract.value as NonNullable<typeof contract.value>;
  if (SETTLED.includes(task.value.status)) {
    await refuse([
      { code: 'STATUS', message: `${slug} is ${task.value.status}: it was approved already; move its rollout with nx run ${slug}:rollout` },
    ]);
  }
  const config = loadRolloutConfig(root);

  return withRolloutLock(root, slug, async () => {
    const results = new Map<string, StageResult>();
    for (const s of loaded.pipeline) {
      const r = readStageResult(root, slug, s.name);
      if (r.result) results.set(s.name, r.result);
    }
    const codeRoot = taskCodeRoot(root, slug);
    const fingerprint = await codeTreeId(codeRoot);
    const judged = judgeEvidence(loaded.pipeline, loaded.contract.required_test_coverage, results, fingerprint);
    const refusals = await withWhatDiffers(judged.refusals, results, codeRoot, fingerprint);
    // Evidence, not files: each needed stage's attestation, signed by a trusted key, for the
    // whole change as it is now and the contract as it is now (evidence/judge-stage-evidence.ts).
    const needed = stagesNeeded(loaded.pipeline, loaded.contract.required_test_coverage);
    const signed = judgeStageEvidence(root, {
      slug,
      stages: needed.map((n) => ({ name: n.stage.name, required: n.because === 'required' })),
      pipelineStages: loaded.pipeline.length,
      codeTree: fingerprint,
    });
    const refusedStages = new Set(judged.stages.filter((s) => s.status !== 'success' || s.fresh === false).map((s) => s.stage));
    for (const s of signed.stages) {
      if (!s.ok && !refusedStages.has(s.stage)) refusals.push({ code: 'EVIDENCE', message: `stage-${s.message.replace(/^stage /, '')}` });
    }
    if (signed.gate) refusals.push({ code: 'NO_GATE', message: signed.gate.message });
    if (!actor) refusals.push({ code: 'NO_ACTOR', message: 'no actor: --actor was not given and git has no user.email here' });
    const evidence = { stages: judged.stages, code_tree: fingerprint };
    if (refusals.length) await refuse(refusals, evidence);
    const who = actor as string;

    await appendAuditEvent(root, {
      task: slug,
      actor: who,
      action: 'approval_requested',
      outcome: 'pending',
      details: { strategy: options.strategy },
    });
    // Stages skipped for a tool the project lacks count as passed (as the pipeline counts them);
    // the person approving is told which checks the evidence does not hold.
    const skipped = judged.stages.filter((s) => s.status === 'skipped').map((s) => `stage-${s.stage}`);
    const unchecked = skipped.length ? `not checked (skipped, not configured): ${skipped.join(', ')}` : '';
    if (!options.yes) {
      const question = `${unchecked ? `${slug}: ${unchecked}.\n` : ''}Approve ${slug} (${task.value?.title}) for rollout with the ${options.strategy} strategy, as ${who}? [y/N] `;
      const confirmed = options.confirm ? await options.confirm(question) : false;
      if (!confirmed) {
        await refuse(
          [
            {
              code: 'NOT_CONFIRMED',
              message: options.confirm ? 'not confirmed at the prompt' : 'no terminal to ask for confirmation, and --yes was not given',
            },
          ],
          evidence,
        );
      }
    }

    let summary: { file: string };
    try {
      summary = await attestApproval(root, { judgement: signed, approver: who, now: options.now?.(), env: { ...process.env, ...env } });
    } catch (e) {
      return refuse([{ code: 'EVIDENCE', message: (e as Error).message }], evidence);
    }
    const current = loadTask(root, slug).value?.status ?? 'created';
    if (current !== 'review_approved') {
      for (const step of pathTo(current, 'ready_for_review')) await setTaskStatus(root, slug, step.to, { actor: who });
      await setTaskStatus(root, slug, 'review_approved', { actor: who });
    }
    await appendAuditEvent(root, {
      task: slug,
      actor: who,
      action: 'approved_by_human',
      outcome: 'approved',
      details: {
        strategy: options.strategy,
        code_tree: fingerprint,
        contract_digest: signed.subjects.contractDigest,
        verification_summary: summary.file,
        stages: judged.stages.map((s) => ({ stage: s.stage, status: s.status, finished_at: s.finished_at })),
      },
    });
    const rollout = await startRollout({ root, slug, actor: who, config, now: options.now, fetch: options.fetch }, options.strategy);
    // The decision's events are written: sign every chain's head, so removing them is detected.
    const checkpoint = await checkpointAfterDecision(root, { env: { ...process.env, ...env } });
    if ('warning' in checkpoint) rollout.warnings.push(checkpoint.warning);
    return {
      ...base,
      ...evidence,
      approved: true,
      actor: who,
      rollout,
      checkpoint,
      message: `${slug} approved by ${who}${unchecked ? ` (${unchecked})` : ''}; ${rollout.message}`,
    };
  });
}

/**
 * Stale evidence, with what differs between the code a stage ran on and the code now (git keeps
 * the trees it recorded): a file there then and gone now was most likely written by a test while
 * the stages ran (benhoyt/goawk's tests write `tempbig` into the tree) rather than by the task.
 */
async function withWhatDiffers(
  refusals: readonly Refusal[],
  results: ReadonlyMap<string, StageResult>,
  codeRoot: string,
  now: string,
): Promise<Refusal[]> {
  const described = new Map<string, Promise<string>>();
  const describe = (tree: string) => {
    let text = described.get(tree);
    if (!text) {
      text = runGit(['diff-tree', '-r', '--no-renames', '--name-status', tree, now], { cwd: codeRoot, allowExitCodes: [128] }).then(
        (r) => {
          if (r.exitCode !== 0) return '';
          const lines = r.stdout.split('\n').filter(Boolean);
          const shown = lines.slice(0, 5).map((l) => {
            const [status, file] = [l.charAt(0), l.slice(l.indexOf('\t') + 1)];
            return status === 'D'
              ? `${file} (there then, gone now: written while the stages ran?)`
              : status === 'A'
                ? `${file} (new)`
                : file;
          });
          return shown.length ? `; what differs: ${shown.join(', ')}${lines.length > 5 ? ` and ${lines.length - 5} more` : ''}` : '';
        },
        () => '',
      );
      described.set(tree, text);
    }
    return text;
  };
  return Promise.all(
    refusals.map(async (r) => {
      const stage = r.code === 'STALE' ? /^stage-(\S+) /.exec(r.message)?.[1] : undefined;
      const tree = stage ? results.get(stage)?.code_tree : undefined;
      return tree ? { ...r, message: `${r.message}${await describe(tree)}` } : r;
    }),
  );
}
