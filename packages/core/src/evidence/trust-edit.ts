import path from 'node:path';
import { parseDocument } from 'yaml';
import { FactoryError, formatProblem } from '../domain/errors';
import { readTextIfExists, writeFileAtomicSync } from '../store/atomic';
import { parseConfig } from '../store/config';
import { GLOBAL_FILES } from '../store/paths';
import { parseEvidenceConfig, type TrustEntry } from './trust';

/**
 * Sets (or, with `entry` null, removes) a key's trust in `.factory/config.yaml`
 * (`evidence.trusted_keys.<keyid>`), keeping the rest of the file, comments included. The
 * result is validated before it is written. Returns whether the file changed.
 */
export function setKeyTrust(root: string, keyid: string, entry: TrustEntry | null): boolean {
  const file = path.join(root, GLOBAL_FILES.config);
  const before = readTextIfExists(file) ?? '';
  const doc = parseDocument(before);
  if (doc.errors.length)
    throw new FactoryError('CONFIG', `${GLOBAL_FILES.config}: expected valid YAML: ${doc.errors[0].message.split('\n')[0]}`, {
      file: GLOBAL_FILES.config,
    });
  const at = ['evidence', 'trusted_keys', keyid];
  if (entry) doc.setIn(at, doc.createNode(entry));
  else if (doc.hasIn(at)) doc.deleteIn(at);
  const after = doc.toString();
  const c = parseConfig(after, GLOBAL_FILES.config);
  const e = c.value ? parseEvidenceConfig((c.value as { evidence?: unknown }).evidence) : c;
  if (!e.value) throw new FactoryError('CONFIG', e.errors.map(formatProblem).join('\n'), { file: GLOBAL_FILES.config, field: 'evidence' });
  if (after === before) return false;
  writeFileAtomicSync(file, after);
  return true;
}
