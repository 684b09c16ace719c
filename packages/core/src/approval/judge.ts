import type { StageResult } from '../domain/results';
import type { Stage } from '../domain/stage';

/** One stage as approval sees it. */
export interface StageEvidence {
  stage: string;
  /** Why approval needs it: the contract requires it, or it is one of the contract's gates. */
  needed_because: 'required' | 'contract gate' | 'coverage gate';
  status: StageResult['status'] | 'not_run';
  /** Whether the result was made on the current code (undefined: no result). */
  fresh?: boolean;
  summary?: string;
  finished_at?: string;
}

export type RefusalCode =
  'CI' | 'STATUS' | 'CONTRACT' | 'NOT_RUN' | 'FAILED' | 'STALE' | 'EVIDENCE' | 'NO_GATE' | 'NO_ACTOR' | 'NOT_CONFIRMED';

export interface Refusal {
  code: RefusalCode;
  message: string;
}

/** The stages approval needs: required ones, plus the contract and coverage gates when present. */
export function stagesNeeded(
  pipeline: readonly Stage[],
  requiredCoverage: number,
): { stage: Stage; because: StageEvidence['needed_because'] }[] {
  const out: { stage: Stage; because: StageEvidence['needed_because'] }[] = [];
  for (const s of pipeline) {
    if (s.required_success) out.push({ stage: s, because: 'required' });
    else if (s.name === 'contract') out.push({ stage: s, because: 'contract gate' });
    else if (s.coverage?.gate && requiredCoverage > 0) out.push({ stage: s, because: 'coverage gate' });
  }
  return out;
}

/**
 * Judges a task's evidence (pure): every needed stage must have a passing result made on the
 * current code (`currentFingerprint`). Returns each stage's standing and the refusals, each
 * saying what is wrong; the caller adds what to do.
 */
export function judgeEvidence(
  pipeline: readonly Stage[],
  requiredCoverage: number,
  results: ReadonlyMap<string, StageResult>,
  currentFingerprint: string,
): { stages: StageEvidence[]; refusals: Refusal[] } {
  const stages: StageEvidence[] = [];
  const refusals: Refusal[] = [];
  for (const { stage, because } of stagesNeeded(pipeline, requiredCoverage)) {
    const r = results.get(stage.name);
    const target = `stage-${stage.name}`;
    const why = because === 'required' ? '' : ` (the ${because}, needed even when advisory)`;
    if (!r) {
      stages.push({ stage: stage.name, needed_because: because, status: 'not_run' });
      refusals.push({ code: 'NOT_RUN', message: `${target} has no result${why}` });
      continue;
    }
    const fresh = r.code_tree !== undefined && r.code_tree === currentFingerprint;
    stages.push({ stage: stage.name, needed_because: because, status: r.status, fresh, summary: r.summary, finished_at: r.finished_at });
    if (r.status === 'failure') refusals.push({ code: 'FAILED', message: `${target} failed${why}: ${r.summary.split('\n')[0]}` });
    // Skipped is what a stage records for a tool the project lacks ("not configured"): the
    // pipeline counts it green, so approval does too, on the same freshness terms as a pass.
    else if (r.status !== 'success' && r.status !== 'skipped')
      refusals.push({ code: 'NOT_RUN', message: `${target} was ${r.status}${why}` });
    else if (!fresh) {
      refusals.push({
        code: 'STALE',
        message: r.code_tree
          ? `${target} ${r.status === 'skipped' ? 'was skipped' : 'passed'} at ${r.finished_at}, but the task's code has changed since (stale evidence)`
          : `${target} ${r.status === 'skipped' ? 'was skipped' : 'passed'} at ${r.finished_at}, but its result does not say which code it ran on (stale evidence)`,
      });
    }
  }
  return { stages, refusals };
}

/**
 * The variables CI providers set on every job: GitHub Actions, GitLab CI, Buildkite, CircleCI,
 * Jenkins, Azure Pipelines, and the common `CI`. A provider may set only its own.
 */
export const CI_VARIABLES = ['CI', 'GITHUB_ACTIONS', 'GITLAB_CI', 'BUILDKITE', 'CIRCLECI', 'JENKINS_URL', 'TF_BUILD'] as const;

/** Which CI variable says this runs in CI (set to anything but "", "0" or "false"), if any. */
export function ciVariable(env: Record<string, string | undefined>): string | undefined {
  return CI_VARIABLES.find((k) => {
    const v = env[k];
    return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
  });
}

/** Whether the environment says this runs in CI (see CI_VARIABLES). */
export function isCi(env: Record<string, string | undefined>): boolean {
  return ciVariable(env) !== undefined;
}

/** What to do about refusals, in one line per kind. */
export function adviceFor(slug: string, refusals: readonly Refusal[]): string[] {
  const codes = new Set(refusals.map((r) => r.code));
  const advice: string[] = [];
  if (codes.has('CI')) advice.push('Approval is manual only: a person approves from their own terminal, outside CI.');
  if (codes.has('FAILED'))
    advice.push(`Fix what failed (see the stage logs under .factory/${slug}/results/), then run: nx run ${slug}:pipeline`);
  if (codes.has('STALE') || codes.has('NOT_RUN') || codes.has('EVIDENCE'))
    advice.push(`Run the pipeline on the current code: nx run ${slug}:pipeline`);
  if (codes.has('NO_GATE'))
    advice.push(
      `Give the contract a required stage (.factory/${slug}/contract.yaml), or allow it: evidence.allow_ungated_approval in .factory/config.yaml`,
    );
  if (codes.has('NO_ACTOR')) advice.push('Say who approves: --actor you@example.com, or set git config user.email');
  if (codes.has('NOT_CONFIRMED')) advice.push('Confirm at the prompt, or pass --yes');
  if (codes.size) advice.push(`Then approve again: nx run ${slug}:approve --strategy <immediate|gradual|canary>`);
  return advice;
}
