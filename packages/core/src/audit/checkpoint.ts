import { FACTORY_DIR } from '../store/paths';
import { readEnvelopeText } from '../evidence/judge-attestation';
import { checkSignatures } from '../evidence/signature-check';
import { CHECKPOINT_PREDICATE_TYPE, STATEMENT_TYPE } from '../evidence/statement';
import { CheckpointPredicateSchema, StatementSchema, type CheckpointPredicate, type Statement } from '../evidence/statement-schema';
import type { EvidencePolicy } from '../evidence/trust';

/**
 * A signed checkpoint of every audit chain's head, `.factory/audit-checkpoint.intoto.json`
 * (committed). Anchors in approval summaries only cover a trail up to its approval; a
 * checkpoint covers the newest events too, so removing them from the end of both the task
 * trail and the workspace log (which then still agree) is detected. Events after the
 * checkpoint are allowed: they were appended since.
 */
export const AUDIT_CHECKPOINT_FILE = `${FACTORY_DIR}/audit-checkpoint.intoto.json`;

export type CheckpointHead = CheckpointPredicate['heads'][number];

export interface CheckpointReport {
  file: string;
  ok: boolean;
  message: string;
  keyid?: string;
  owner?: string;
  time?: string;
  /** The heads it records (empty when it does not hold). */
  heads: CheckpointHead[];
}

/** The checkpoint statement (pure): one subject per chain, named by its live file, digest its head's hash. */
export function checkpointStatement(heads: readonly CheckpointHead[], time: Date): Statement<CheckpointPredicate> {
  return {
    _type: STATEMENT_TYPE,
    subject: heads.map((h) => ({ name: h.file, digest: { sha256: h.hash } })),
    predicateType: CHECKPOINT_PREDICATE_TYPE,
    predicate: { time: time.toISOString(), heads: [...heads] },
  };
}

/**
 * Judges a checkpoint's text (undefined: there is none, and nothing is reported). It must be
 * a DSSE envelope signed by a key trusted for audit checkpoints, of a checkpoint statement.
 * The heads it records are checked against the chains by `verifyAuditTrails`.
 */
export function judgeCheckpoint(text: string | undefined, policy: () => EvidencePolicy): CheckpointReport | undefined {
  if (text === undefined) return undefined;
  const file = AUDIT_CHECKPOINT_FILE;
  const no = (message: string, extra: Partial<CheckpointReport> = {}): CheckpointReport => ({
    file,
    ok: false,
    message: `${file}: ${message}`,
    heads: [],
    ...extra,
  });
  const read = readEnvelopeText(text);
  if ('reason' in read) return no(read.detail);
  let p: EvidencePolicy;
  try {
    p = policy();
  } catch (e) {
    return no(`cannot be checked: ${(e as Error).message}`);
  }
  const sig = checkSignatures(read.value, p, 'audit');
  if (!sig.ok) return no(`the checkpoint does not hold: ${sig.message}`, { keyid: sig.keyid });
  try {
    const st = StatementSchema.parse(JSON.parse(read.value.payload.toString('utf8')));
    if (st.predicateType !== CHECKPOINT_PREDICATE_TYPE)
      throw new Error(`predicateType is ${JSON.stringify(st.predicateType.slice(0, 120))}`);
    const predicate = CheckpointPredicateSchema.parse(st.predicate);
    return {
      file,
      ok: true,
      message: `${file}: signed by key ${sig.keyid.slice(0, 16)} (${sig.owner}) at ${predicate.time}, ${predicate.heads.length} chain head${predicate.heads.length === 1 ? '' : 's'}`,
      keyid: sig.keyid,
      owner: sig.owner,
      time: predicate.time,
      heads: predicate.heads,
    };
  } catch (e) {
    return no(`it is not a Factory audit checkpoint (${(e as Error).message.split('\n')[0]})`, { keyid: sig.keyid });
  }
}
