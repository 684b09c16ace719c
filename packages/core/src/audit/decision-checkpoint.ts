import { loadSigningKey, type Env, type KeyringStore } from '../evidence/signing-key';
import { keyStanding, loadEvidencePolicy } from '../evidence/trust';
import { writeAuditCheckpoint } from './write-checkpoint';

/** What `checkpointAfterDecision` did: signed a checkpoint, skipped it (and why), or could not (a warning to print). */
export type DecisionCheckpoint =
  | { written: true; file: string; keyid: string }
  | { written: false; skipped: 'no-key' | 'not-trusted-for-audit' }
  | { written: false; warning: string };

/**
 * Signs the audit chains' heads after a decision (approval, a rollout step), so that removing
 * the newest events from both the task trail and the workspace log is detected. Only a key
 * trusted for `audit` signs: a checkpoint by any other key would make `factory audit verify`
 * fail, so without such a key nothing is written. Never throws: the decision is already on the
 * record; a checkpoint that cannot be written (a trail that does not verify, a malformed key)
 * is a warning, and `factory audit verify` names the damage.
 */
export async function checkpointAfterDecision(
  root: string,
  options: { env?: Env; keyring?: KeyringStore | null } = {},
): Promise<DecisionCheckpoint> {
  try {
    const key = (await loadSigningKey({ env: options.env, keyring: options.keyring, root }))?.key;
    if (!key) return { written: false, skipped: 'no-key' };
    const policy = loadEvidencePolicy(root);
    if (keyStanding(policy, key.keyid, 'audit') !== 'trusted') return { written: false, skipped: 'not-trusted-for-audit' };
    const r = await writeAuditCheckpoint(root, { key, policy });
    return { written: true, file: r.file, keyid: r.keyid };
  } catch (e) {
    return { written: false, warning: `the audit checkpoint was not signed: ${(e as Error).message}` };
  }
}
