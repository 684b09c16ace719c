import path from 'node:path';
import { FactoryError } from '../domain/errors';
import { IN_TOTO_PAYLOAD_TYPE, signEnvelope } from '../evidence/dsse';
import type { SigningKey } from '../evidence/keys';
import { loadSigningKey, type Env, type KeyringStore } from '../evidence/signing-key';
import { statementBytes } from '../evidence/statement';
import type { EvidencePolicy } from '../evidence/trust';
import { writeFileAtomicSync } from '../store/atomic';
import { AUDIT_CHECKPOINT_FILE, checkpointStatement, type CheckpointHead } from './checkpoint';
import { verifyAuditTrails } from './verify-all';

export interface CheckpointOptions {
  /** Default: `loadSigningKey` (this machine's key). */
  key?: SigningKey;
  env?: Env;
  keyring?: KeyringStore | null;
  policy?: EvidencePolicy;
  now?: Date;
}

/**
 * Signs the current head of every audit chain into `.factory/audit-checkpoint.intoto.json`.
 * Refuses when a chain does not verify (a checkpoint must never vouch for damage) or when
 * there is no signing key. Decision commands call it after their events; `factory audit
 * checkpoint` does it by hand.
 */
export async function writeAuditCheckpoint(
  root: string,
  options: CheckpointOptions = {},
): Promise<{ file: string; heads: CheckpointHead[]; keyid: string }> {
  const report = verifyAuditTrails(root, undefined, { policy: options.policy });
  const bad = report.chains.filter((c) => !c.ok);
  if (bad.length || report.checkpoint?.ok === false)
    throw new FactoryError(
      'AUDIT',
      `the audit trail does not verify, so no checkpoint was signed:\n  - ${[...bad.map((c) => c.problem?.message), ...(report.checkpoint?.ok === false ? [report.checkpoint.message] : [])].join('\n  - ')}`,
    );
  const key = options.key ?? (await loadSigningKey({ env: options.env, keyring: options.keyring, root }))?.key;
  if (!key)
    throw new FactoryError(
      'EVIDENCE_NO_KEY',
      'signing an audit checkpoint needs a signing key, and there is none here; run factory keys init (or set FACTORY_SIGNING_KEY)',
    );
  const logFile = report.chains[0]?.file;
  const heads: CheckpointHead[] = report.chains
    .filter((c) => c.head)
    .map((c) => ({
      file: c.file,
      task: c.file === logFile ? null : c.file.split('/')[1],
      seq: (c.head as { seq: number }).seq,
      hash: (c.head as { hash: string }).hash,
    }));
  const envelope = signEnvelope(statementBytes(checkpointStatement(heads, options.now ?? new Date())), IN_TOTO_PAYLOAD_TYPE, key);
  writeFileAtomicSync(path.join(root, AUDIT_CHECKPOINT_FILE), `${JSON.stringify(envelope)}\n`);
  return { file: AUDIT_CHECKPOINT_FILE, heads, keyid: key.keyid };
}
