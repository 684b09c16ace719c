import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AUDIT_CHECKPOINT_FILE } from '../audit/checkpoint';
import { chainFiles } from '../audit/files';
import { FactoryError } from '../domain/errors';
import { readTextIfExists } from '../store/atomic';
import { GLOBAL_FILES, taskPaths } from '../store/paths';
import { approvalSummaryFile } from './approval-summary';
import { attestationFile } from './attest';
import { parseEnvelope, type DsseEnvelope } from './dsse';
import { readPublicKeys } from './key-file';
import { toSigstoreBundle, type SigstoreBundle } from './sigstore';

export const EVIDENCE_BUNDLE_TYPE = 'application/vnd.factory.evidence-bundle+json';

/** What `factory evidence export` writes: everything needed to check a task's evidence offline. */
export interface EvidenceBundle {
  mediaType: typeof EVIDENCE_BUNDLE_TYPE;
  version: 1;
  task: string;
  exported_at: string;
  /** Each stage's attestation (as found in results/), as a Sigstore bundle around the DSSE envelope. */
  attestations: { stage: string; file: string; bundle: SigstoreBundle }[];
  /** The approval's verification summary, when the task was approved. */
  approval: { file: string; bundle: SigstoreBundle } | null;
  audit: {
    /** The task trail's lines, exactly, oldest file first. */
    trail: string[];
    /** The workspace log's copies of this task's events, exactly. */
    log: string[];
    /** The workspace log's first kept line (rotation may have dropped older ones). */
    log_first: string | null;
    checkpoint: SigstoreBundle | null;
  };
  /** The public keys (with owners) of every signature above, from `.factory/keys/`. */
  keys: { keyid: string; owner: string; public_key: string }[];
}

function envelopeOf(text: string | undefined): DsseEnvelope | undefined {
  if (text === undefined) return undefined;
  try {
    const p = parseEnvelope(JSON.parse(text));
    return 'value' in p ? p.value.envelope : undefined;
  } catch {
    return undefined;
  }
}

function lines(files: string[]): string[] {
  return files.flatMap((f) => {
    try {
      return readFileSync(f, 'utf8').split('\n').filter(Boolean);
    } catch {
      return [];
    }
  });
}

/**
 * Gathers a task's evidence (reads files only): its stage attestations, approval summary,
 * audit trail, its events' copies in the workspace log, the audit checkpoint, and the public
 * keys that signed them. A file that is not a DSSE envelope is left out (evidence verify on the
 * workspace names it). Never reads a private key.
 */
export function exportEvidence(root: string, slug: string, now = new Date()): EvidenceBundle {
  const p = taskPaths(slug);
  if (!existsSync(path.join(root, p.dir)))
    throw new FactoryError('EVIDENCE', `there is no task ${slug} here (${p.dir} does not exist)`, { file: p.dir });
  const stages = (() => {
    try {
      return readdirSync(path.join(root, p.results))
        .map((n) => /^stage-([a-z0-9-]+)\.intoto\.json$/.exec(n)?.[1])
        .filter((s): s is string => !!s)
        .sort();
    } catch {
      return [];
    }
  })();
  const attestations = stages.flatMap((stage) => {
    const file = attestationFile(slug, stage);
    const env = envelopeOf(readTextIfExists(path.join(root, file)));
    return env ? [{ stage, file, bundle: toSigstoreBundle(env) }] : [];
  });
  const summary = envelopeOf(readTextIfExists(path.join(root, approvalSummaryFile(slug))));
  const checkpoint = envelopeOf(readTextIfExists(path.join(root, AUDIT_CHECKPOINT_FILE)));
  const logLines = lines(chainFiles(path.join(root, GLOBAL_FILES.auditLog)));
  const needle = `"task":${JSON.stringify(slug)}`;
  const signers = new Set(
    [...attestations.map((a) => a.bundle.dsseEnvelope), summary, checkpoint].flatMap((e) => e?.signatures.map((s) => s.keyid) ?? []),
  );
  const { keys } = readPublicKeys(root);
  return {
    mediaType: EVIDENCE_BUNDLE_TYPE,
    version: 1,
    task: slug,
    exported_at: now.toISOString(),
    attestations,
    approval: summary ? { file: approvalSummaryFile(slug), bundle: toSigstoreBundle(summary) } : null,
    audit: {
      trail: lines(chainFiles(path.join(root, p.audit))),
      log: logLines.filter((l) => l.includes(needle)),
      log_first: logLines[0] ?? null,
      checkpoint: checkpoint ? toSigstoreBundle(checkpoint) : null,
    },
    keys: [...signers]
      .map((id) => keys.get(id))
      .filter((k) => k !== undefined)
      .map((k) => ({ keyid: k.keyid, owner: k.owner, public_key: k.pem })),
  };
}
