import { stageResultFiles } from '../store/paths';
import { shortKeyId } from './keys';
import { parseEnvelope, IN_TOTO_PAYLOAD_TYPE, type DsseEnvelope, type ParsedEnvelope } from './dsse';
import { checkSignatures } from './signature-check';
import { STAGE_PREDICATE_TYPE, subjectDigests, type EvidenceSubjects } from './statement';
import { StagePredicateSchema, StatementSchema, type StagePredicate } from './statement-schema';
import type { EvidencePolicy } from './trust';

/** Why a stage's evidence does not hold; each is its own reason, in the order they are checked. */
export const EVIDENCE_REASONS = [
  'missing',
  'not-json',
  'not-dsse',
  'unsigned',
  'unknown-key',
  'untrusted-key',
  'bad-signature',
  'not-statement',
  'wrong-stage',
  'stale-code',
  'stale-contract',
  'edited-result',
  'failed',
] as const;
export type EvidenceReason = (typeof EVIDENCE_REASONS)[number];

/** One stage's evidence as judged. `ok` with no reason: a trusted, matching, passing attestation. */
export interface AttestationVerdict {
  stage: string;
  ok: boolean;
  reason?: EvidenceReason;
  /** Names the stage; says what is wrong and, where known, what to do. */
  message: string;
  keyid?: string;
  owner?: string;
  /** The attested verdict, once the signature holds. */
  verdict?: StagePredicate['verdict'];
  predicate?: StagePredicate;
  envelope?: DsseEnvelope;
}

export interface AttestationInput {
  slug: string;
  stage: string;
  /** The envelope file's text; undefined: the file does not exist. */
  text: string | undefined;
  /** The code and contract as they are now. */
  expected: EvidenceSubjects;
  /** sha256 of the stage's result and log files as they are now (undefined: absent). */
  current: { result?: string; log?: string };
  policy: EvidencePolicy;
  /** The envelope file (relative), for messages. */
  file: string;
}

/** Parses an attestation's text as a DSSE envelope, or says why it is not one. */
export function readEnvelopeText(text: string): { value: ParsedEnvelope } | { reason: 'not-json' | 'not-dsse'; detail: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { reason: 'not-json', detail: `it is not JSON (${(e as Error).message})` };
  }
  const parsed = parseEnvelope(data);
  if ('error' in parsed) return { reason: 'not-dsse', detail: `it is not a DSSE envelope: ${parsed.error}` };
  if (parsed.value.envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE)
    return {
      reason: 'not-dsse',
      detail: `it is not an in-toto DSSE envelope: payloadType: expected "${IN_TOTO_PAYLOAD_TYPE}", got ${JSON.stringify(parsed.value.envelope.payloadType.slice(0, 80))}`,
    };
  return parsed;
}

/** The stage statement inside a verified envelope, or why it is not one. */
export function stagePredicateOf(
  payload: Buffer,
): { value: { predicate: StagePredicate; subject: { name: string; digest: Record<string, string> }[] } } | { error: string } {
  let data: unknown;
  try {
    data = JSON.parse(payload.toString('utf8'));
  } catch {
    return { error: 'its payload is not JSON' };
  }
  const st = StatementSchema.safeParse(data);
  if (!st.success)
    return {
      error: `its payload is not an in-toto Statement v1 (${st.error.issues[0]?.path.join('.') || '_type'}: ${st.error.issues[0]?.message})`,
    };
  if (st.data.predicateType !== STAGE_PREDICATE_TYPE)
    return { error: `predicateType: expected "${STAGE_PREDICATE_TYPE}", got ${JSON.stringify(st.data.predicateType.slice(0, 120))}` };
  const p = StagePredicateSchema.safeParse(st.data.predicate);
  if (!p.success) return { error: `predicate.${p.error.issues[0]?.path.join('.')}: ${p.error.issues[0]?.message}` };
  return { value: { predicate: p.data, subject: st.data.subject } };
}

const short = (d: string | undefined) => (d ? `${d.slice(0, 12)}…` : 'nothing');

/**
 * Judges one stage's attestation (pure). Checks, in order: there is one, it is JSON, it is a
 * DSSE envelope of an in-toto statement, it is signed, by a listed key, trusted for this
 * stage, and the signature verifies; the payload is Factory's stage statement for this task
 * and stage; its subjects are the current code and contract; the result and log files still
 * have the attested digests; the attested verdict is success.
 */
export function judgeAttestation(i: AttestationInput): AttestationVerdict {
  const { stage } = i;
  const no = (reason: EvidenceReason, what: string, extra: Partial<AttestationVerdict> = {}): AttestationVerdict => ({
    stage,
    ok: false,
    reason,
    message: `stage ${stage}: ${what}`,
    ...extra,
  });
  if (i.text === undefined)
    return no(
      'missing',
      `no attestation (${i.file} does not exist): the stage has not run with evidence signing, or its attestation was removed; run nx run ${i.slug}:stage-${stage}`,
    );
  const read = readEnvelopeText(i.text);
  if ('reason' in read) return no(read.reason, `the attestation ${i.file} is unusable: ${read.detail}`);
  const parsed = read.value;
  const sig = checkSignatures(parsed, i.policy, { stage }, { inRepository: true });
  if (!sig.ok) return no(sig.reason, `the attestation ${i.file} does not hold: ${sig.message}`, { keyid: sig.keyid, owner: sig.owner });
  const signer = { keyid: sig.keyid, owner: sig.owner, envelope: parsed.envelope };
  const st = stagePredicateOf(parsed.payload);
  if ('error' in st) return no('not-statement', `the attestation ${i.file} is not a Factory stage attestation: ${st.error}`, signer);
  const { predicate, subject } = st.value;
  const withPredicate = { ...signer, predicate, verdict: predicate.verdict };
  const files = stageResultFiles(i.slug, stage);
  if (predicate.task !== i.slug || predicate.stage !== stage || predicate.files.result.name !== files.json)
    return no(
      'wrong-stage',
      `the attestation ${i.file} is for stage ${predicate.stage} of task ${predicate.task}, not for this one: it was copied here from elsewhere`,
      withPredicate,
    );
  const attested = subjectDigests(i.slug, subject);
  const codeStale = attested.codeTree !== i.expected.codeTree;
  const contractStale = attested.contractDigest !== i.expected.contractDigest;
  if (codeStale)
    return no(
      'stale-code',
      `its attestation is for code tree ${short(attested.codeTree)}, but the task's code is now ${short(i.expected.codeTree)}${contractStale ? ' (and the contract changed too)' : ''}: the code changed after the stage ran (stale evidence); run nx run ${i.slug}:pipeline`,
      withPredicate,
    );
  if (contractStale)
    return no(
      'stale-contract',
      `its attestation is for contract ${short(attested.contractDigest)}, but the effective contract (task contract, global contract, config) is now ${short(i.expected.contractDigest)}: the contract changed after the stage ran (stale evidence); run nx run ${i.slug}:pipeline`,
      withPredicate,
    );
  const edited: string[] = [];
  if (i.current.result !== predicate.files.result.digest.sha256) edited.push(files.json);
  if (predicate.files.log && i.current.log !== predicate.files.log.digest.sha256) edited.push(files.log);
  if (edited.length)
    return no(
      'edited-result',
      `${edited.join(' and ')} ${edited.length > 1 ? 'do' : 'does'} not match the sha256 the attestation signed (${
        i.current.result === undefined && edited.includes(files.json) ? 'the result is gone' : 'edited after the stage ran'
      }); run nx run ${i.slug}:stage-${stage}`,
      withPredicate,
    );
  // A stage whose tool the project does not have judged nothing: not a failure, and not a gate either.
  if (predicate.verdict === 'skipped')
    return {
      stage,
      ok: true,
      message: `stage ${stage}: nothing judged (${predicate.cause.split('\n')[0] || 'skipped'})`,
      ...withPredicate,
    };
  if (predicate.verdict !== 'success')
    return no('failed', `failed (attested verdict: failure): ${predicate.cause.split('\n')[0] || 'no cause recorded'}`, withPredicate);
  return { stage, ok: true, message: `stage ${stage}: passed, signed by key ${shortKeyId(sig.keyid)} (${sig.owner})`, ...withPredicate };
}
