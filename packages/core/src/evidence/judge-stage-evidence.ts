import path from 'node:path';
import { FactoryError } from '../domain/errors';
import { readTextIfExists } from '../store/atomic';
import { stageResultFiles } from '../store/paths';
import { attestationFile } from './attest';
import { effectiveContractDigest, fileSha256, GIT_TREE_RE, sha256Hex } from './digests';
import { judgeAttestation, type AttestationVerdict } from './judge-attestation';
import type { EvidenceSubjects } from './statement';
import { loadEvidencePolicy, type EvidencePolicy } from './trust';

/** A stage approval needs; `required: false` for a gate that is advisory (the contract stage). */
export interface NeededStage {
  name: string;
  required: boolean;
}

export interface JudgeStageEvidenceInput {
  slug: string;
  /** The stages approval needs, in pipeline order. */
  stages: readonly NeededStage[];
  /** The git tree id of the task's code now. */
  codeTree: string;
  /** The effective contract's digest now; default `effectiveContractDigest(root, slug)`. */
  contractDigest?: string;
  /** Default: `loadEvidencePolicy(root)`. */
  policy?: EvidencePolicy;
  /** How many stages the pipeline has, advisory ones included (default: `stages.length`); for the no-gate message. */
  pipelineStages?: number;
}

export interface StageEvidenceVerdict extends AttestationVerdict {
  required: boolean;
  /** The attestation file, relative to the root. */
  file: string;
  /** sha256 of the attestation file's bytes (when it exists). */
  sha256?: string;
}

export interface EvidenceJudgement {
  slug: string;
  /** True when every needed stage's evidence holds and the pipeline has a required gate (or may go without). */
  ok: boolean;
  subjects: EvidenceSubjects;
  stages: StageEvidenceVerdict[];
  /** Set when no needed stage is required and the config does not allow that. */
  gate?: { reason: 'no-gate'; message: string };
  /** Every refusal, one line each, naming the stage and the reason. */
  problems: string[];
}

/**
 * What approval calls to judge a task's evidence: each needed stage's attestation (see
 * `judgeAttestation` for the reasons, each distinct) against the code and contract as they
 * are now and the trust policy, plus the rule that a pipeline with no required stage (empty,
 * or all advisory) is refused unless `.factory/config.yaml` sets
 * `evidence.allow_ungated_approval: true`. Reads files only: no process is started.
 */
export function judgeStageEvidence(root: string, input: JudgeStageEvidenceInput): EvidenceJudgement {
  const { slug } = input;
  if (!GIT_TREE_RE.test(input.codeTree))
    throw new FactoryError(
      'EVIDENCE',
      `judgeStageEvidence: codeTree: expected a git tree id (40 or 64 hex digits), got ${JSON.stringify(input.codeTree)}`,
    );
  const subjects: EvidenceSubjects = {
    codeTree: input.codeTree,
    contractDigest: input.contractDigest ?? effectiveContractDigest(root, slug),
  };
  const policy = input.policy ?? loadEvidencePolicy(root);
  const stages = input.stages.map((s): StageEvidenceVerdict => {
    const file = attestationFile(slug, s.name);
    const text = readTextIfExists(path.join(root, file));
    const results = stageResultFiles(slug, s.name);
    const verdict = judgeAttestation({
      slug,
      stage: s.name,
      text,
      expected: subjects,
      current: { result: fileSha256(path.join(root, results.json)), log: fileSha256(path.join(root, results.log)) },
      policy,
      file,
    });
    return { ...verdict, required: s.required, file, ...(text !== undefined ? { sha256: sha256Hex(text) } : {}) };
  });
  // A gate is a required stage that judged something (a skipped one, for a tool the project lacks, did not).
  const gated = stages.some((s) => s.required && s.verdict !== 'skipped');
  const gate =
    !gated && !policy.config.allow_ungated_approval
      ? {
          reason: 'no-gate' as const,
          message: `the pipeline of ${slug} has no required stage (${
            input.stages.length
              ? 'every needed stage is advisory or judged nothing'
              : (input.pipelineStages ?? 0) > 0
                ? 'every stage is advisory'
                : 'it is empty'
          }): nothing gates this change; add a required stage to its contract, or set evidence.allow_ungated_approval: true in .factory/config.yaml`,
        }
      : undefined;
  const problems = [...(gate ? [gate.message] : []), ...stages.filter((s) => !s.ok).map((s) => s.message)];
  return { slug, ok: problems.length === 0, subjects, stages, ...(gate ? { gate } : {}), problems };
}
