import { loadEvidencePolicy } from './trust';
import path from 'node:path';
import { FactoryError } from '../domain/errors';
import { readTextIfExists, writeFileAtomicSync } from '../store/atomic';
import { taskPaths } from '../store/paths';
import { taskAuditHead } from './attest';
import { sha256Hex } from './digests';
import { IN_TOTO_PAYLOAD_TYPE, signEnvelope } from './dsse';
import type { EvidenceJudgement } from './judge-stage-evidence';
import type { SigningKey } from './keys';
import { loadSigningKey, type Env, type KeyringStore } from './signing-key';
import { statementBytes, subjectsOf, STATEMENT_TYPE, SUMMARY_PREDICATE_TYPE } from './statement';
import type { Statement, SummaryPredicate } from './statement-schema';

/** The approval's signed verification summary: `.factory/<slug>/approval.intoto.json` (committed with the task). */
export const approvalSummaryFile = (slug: string): string => `${taskPaths(slug).dir}/approval.intoto.json`;

/**
 * The summary statement (pure): subjects are the code and contract the judgement checked; the
 * predicate names the approver, the time, each stage's attestation (file, sha256, signer,
 * verdict) and embeds the attestations' exact texts, with the task trail's head as an anchor.
 */
export function summaryStatement(
  j: EvidenceJudgement,
  input: { approver: string; time: Date; auditHead: SummaryPredicate['audit_head']; texts: Record<string, string> },
): Statement<SummaryPredicate> {
  return {
    _type: STATEMENT_TYPE,
    subject: subjectsOf(j.slug, j.subjects),
    predicateType: SUMMARY_PREDICATE_TYPE,
    predicate: {
      verifier: { id: 'factory' },
      timeVerified: input.time.toISOString(),
      resourceUri: `factory:task/${j.slug}`,
      task: j.slug,
      approver: input.approver,
      verificationResult: 'PASSED',
      inputAttestations: j.stages.map((s) => ({
        uri: s.file,
        digest: { sha256: sha256Hex(input.texts[s.stage]) },
        stage: s.stage,
        keyid: s.keyid as string,
        verdict: s.verdict as string,
        required: s.required,
      })),
      attestations: input.texts,
      audit_head: input.auditHead,
    },
  };
}

export interface AttestApprovalInput {
  /** A judgement from `judgeStageEvidence` that holds. */
  judgement: EvidenceJudgement;
  approver: string;
  /** Default: `loadSigningKey` (the approver's own key). */
  key?: SigningKey;
  env?: Env;
  keyring?: KeyringStore | null;
  now?: Date;
}

/**
 * Writes the approval's verification summary, signed by the approver's key, atomically. Call it
 * after `judgeStageEvidence` held and before the approval events are appended (its anchor is
 * the trail's head before them). Refuses a judgement that does not hold, and an approver with
 * no signing key (an approval must be signed).
 */
export async function attestApproval(root: string, input: AttestApprovalInput): Promise<{ file: string; sha256: string; keyid: string }> {
  const j = input.judgement;
  if (!j.ok)
    throw new FactoryError('EVIDENCE', `attestApproval: the evidence of ${j.slug} does not hold:\n  - ${j.problems.join('\n  - ')}`);
  if (!input.approver.trim())
    throw new FactoryError('EVIDENCE', 'attestApproval: approver: expected who approves, got nothing', { field: 'approver' });
  const key = input.key ?? (await loadSigningKey({ env: input.env, keyring: input.keyring, root }))?.key;
  // A repository that lists no key yet checks evidence by digests only (see signature-check.ts):
  // its approval summary is unsigned like its attestations. Once a key is listed, it must be signed.
  if (!key && loadEvidencePolicy(root).keys.size > 0)
    throw new FactoryError(
      'EVIDENCE_NO_KEY',
      `approving ${j.slug} needs your signing key to sign the approval's verification summary, and there is none here; run factory keys init (or set FACTORY_SIGNING_KEY)`,
    );
  const texts: Record<string, string> = {};
  for (const s of j.stages) {
    const text = readTextIfExists(path.join(root, s.file));
    if (text === undefined || sha256Hex(text) !== s.sha256)
      throw new FactoryError(
        'EVIDENCE',
        `stage ${s.stage}: its attestation ${s.file} changed while the approval was being made; approve again`,
        {
          file: s.file,
        },
      );
    texts[s.stage] = text;
  }
  const statement = summaryStatement(j, {
    approver: input.approver.trim(),
    time: input.now ?? new Date(),
    auditHead: taskAuditHead(root, j.slug),
    texts,
  });
  const text = `${JSON.stringify(signEnvelope(statementBytes(statement), IN_TOTO_PAYLOAD_TYPE, key))}\n`;
  const file = approvalSummaryFile(j.slug);
  writeFileAtomicSync(path.join(root, file), text);
  return { file, sha256: sha256Hex(text), keyid: key?.keyid ?? '' };
}
