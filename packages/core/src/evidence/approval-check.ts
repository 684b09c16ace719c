import path from 'node:path';
import { readTextIfExists } from '../store/atomic';
import { stageResultFiles } from '../store/paths';
import { approvalSummaryFile } from './approval-summary';
import { attestationFile } from './attest';
import { effectiveContractDigest, sha256Hex } from './digests';
import { judgeAttestation, readEnvelopeText } from './judge-attestation';
import { checkSignatures, type SignatureFailure } from './signature-check';
import { subjectDigests, SUMMARY_PREDICATE_TYPE, type EvidenceSubjects } from './statement';
import { StatementSchema, SummaryPredicateSchema, type SummaryPredicate } from './statement-schema';
import { loadEvidencePolicy, type EvidencePolicy } from './trust';

export type ApprovalCheckReason =
  | 'missing'
  | 'not-json'
  | 'not-dsse'
  | SignatureFailure
  | 'not-statement'
  | 'wrong-task'
  | 'stale-code'
  | 'stale-contract'
  | 'attestation-invalid';

export interface ApprovalCheck {
  ok: boolean;
  reason?: ApprovalCheckReason;
  message: string;
  approver?: string;
  keyid?: string;
  predicate?: SummaryPredicate;
}

export interface ApprovalSummaryInput {
  slug: string;
  /** The summary file's text; undefined: it does not exist. */
  text: string | undefined;
  /** The code and contract as they are now. */
  expected: EvidenceSubjects;
  policy: EvidencePolicy;
}

/**
 * Judges an approval's verification summary (pure): signed by a key trusted for approvals,
 * about this task, for the code and contract as they are now, and every attestation it
 * embeds still verifies under today's trust (a key removed from trust stops a rollout).
 */
export function judgeApprovalSummary(i: ApprovalSummaryInput): ApprovalCheck {
  const file = approvalSummaryFile(i.slug);
  const no = (reason: ApprovalCheckReason, what: string, extra: Partial<ApprovalCheck> = {}): ApprovalCheck => ({
    ok: false,
    reason,
    message: `the approval of ${i.slug}: ${what}`,
    ...extra,
  });
  if (i.text === undefined) return no('missing', `no verification summary (${file} does not exist): approve the task first`);
  const read = readEnvelopeText(i.text);
  if ('reason' in read) return no(read.reason, `${file} is unusable: ${read.detail}`);
  const sig = checkSignatures(read.value, i.policy, 'approval', { inRepository: true });
  if (!sig.ok) return no(sig.reason, `${file} does not hold: ${sig.message}`, { keyid: sig.keyid });
  let predicate: SummaryPredicate;
  let subject;
  try {
    const st = StatementSchema.parse(JSON.parse(read.value.payload.toString('utf8')));
    if (st.predicateType !== SUMMARY_PREDICATE_TYPE) throw new Error(`predicateType is ${JSON.stringify(st.predicateType.slice(0, 120))}`);
    predicate = SummaryPredicateSchema.parse(st.predicate);
    subject = st.subject;
  } catch (e) {
    return no('not-statement', `${file} is not a Factory verification summary (${(e as Error).message.split('\n')[0]})`, {
      keyid: sig.keyid,
    });
  }
  const signer = { keyid: sig.keyid, approver: predicate.approver, predicate };
  if (predicate.task !== i.slug)
    return no('wrong-task', `${file} approves task ${predicate.task}, not ${i.slug}: it was copied here`, signer);
  const attested = subjectDigests(i.slug, subject);
  if (attested.codeTree !== i.expected.codeTree)
    return no(
      'stale-code',
      `the code changed after it was approved (approved tree ${attested.codeTree?.slice(0, 12)}…, now ${i.expected.codeTree.slice(0, 12)}…)`,
      signer,
    );
  if (attested.contractDigest !== i.expected.contractDigest)
    return no('stale-contract', 'the contract (task contract, global contract or config) changed after it was approved', signer);
  for (const input of predicate.inputAttestations) {
    const text = predicate.attestations[input.stage];
    const results = stageResultFiles(i.slug, input.stage);
    // Judged as embedded, against the digests it attested itself: the results may be gone.
    const v =
      text === undefined || sha256Hex(text) !== input.digest.sha256
        ? { ok: false, message: `stage ${input.stage}: its embedded attestation is missing or does not match its recorded sha256` }
        : judgeAttestation({
            slug: i.slug,
            stage: input.stage,
            text,
            expected: i.expected,
            current: embeddedDigests(text, results),
            policy: i.policy,
            file: attestationFile(i.slug, input.stage),
          });
    if (!v.ok) return no('attestation-invalid', `the evidence it approved no longer holds: ${v.message}`, signer);
  }
  return {
    ok: true,
    message: `the approval of ${i.slug} by ${predicate.approver} holds (signed by key ${sig.keyid.slice(0, 16)})`,
    ...signer,
  };
}

/** The result and log digests an embedded attestation recorded (the files need not exist any more). */
export function embeddedDigests(text: string, results: { json: string; log: string }): { result?: string; log?: string } {
  try {
    const env = JSON.parse(text) as { payload: string };
    const p = JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8')) as {
      predicate?: { files?: { result?: { name?: string; digest?: { sha256?: string } }; log?: { digest?: { sha256?: string } } } };
    };
    const f = p.predicate?.files;
    return f?.result?.name === results.json ? { result: f.result.digest?.sha256, log: f.log?.digest?.sha256 } : {};
  } catch {
    return {};
  }
}

/**
 * What a rollout step calls before it moves: the task's approval summary must hold for the
 * code and contract as they are now (see `judgeApprovalSummary`).
 */
export function checkApprovalSummary(
  root: string,
  input: { slug: string; codeTree: string; contractDigest?: string; policy?: EvidencePolicy },
): ApprovalCheck {
  return judgeApprovalSummary({
    slug: input.slug,
    text: readTextIfExists(path.join(root, approvalSummaryFile(input.slug))),
    expected: { codeTree: input.codeTree, contractDigest: input.contractDigest ?? effectiveContractDigest(root, input.slug) },
    policy: input.policy ?? loadEvidencePolicy(root),
  });
}
