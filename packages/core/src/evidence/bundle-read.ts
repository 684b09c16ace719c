import { z } from 'zod';
import { FactoryError } from '../domain/errors';
import { validateSlug } from '../domain/slug';
import { describeValue } from '../domain/zod-problems';
import type { PublicKeyEntry } from './key-file';
import { keyIdOf, parsePublicKey } from './keys';
import { EVIDENCE_BUNDLE_TYPE } from './bundle-export';
import type { EvidencePolicy, TrustEntry } from './trust';

const Sigstore = z.object({ mediaType: z.string(), dsseEnvelope: z.unknown() });

/** The bundle's shape as read back (lenient: fields are only ever added). */
export const EvidenceBundleSchema = z.object({
  mediaType: z.literal(EVIDENCE_BUNDLE_TYPE),
  version: z.literal(1),
  task: z.string(),
  exported_at: z.string(),
  attestations: z.array(z.object({ stage: z.string(), file: z.string(), bundle: Sigstore })),
  approval: z.object({ file: z.string(), bundle: Sigstore }).nullable(),
  audit: z.object({
    trail: z.array(z.string()),
    log: z.array(z.string()),
    log_first: z.string().nullable(),
    checkpoint: Sigstore.nullable(),
  }),
  keys: z.array(z.object({ keyid: z.string(), owner: z.string(), public_key: z.string() })),
});
/** An exported bundle as read back (what `exportEvidence` writes is one). */
export type EvidenceBundleData = z.infer<typeof EvidenceBundleSchema>;

/** Parses an exported bundle's text; errors name the file and the field. */
export function parseEvidenceBundle(text: string, file: string): EvidenceBundleData {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new FactoryError(
      'EVIDENCE_BUNDLE',
      `${file}: expected a Factory evidence bundle (JSON from factory evidence export), got text that is not JSON (${(e as Error).message})`,
      {
        file,
      },
    );
  }
  const type = (data as { mediaType?: unknown } | null)?.mediaType;
  if (type !== EVIDENCE_BUNDLE_TYPE)
    throw new FactoryError(
      'EVIDENCE_BUNDLE',
      `${file}: mediaType: expected "${EVIDENCE_BUNDLE_TYPE}" (a bundle from factory evidence export), got ${describeValue(type)}`,
      {
        file,
        field: 'mediaType',
      },
    );
  const r = EvidenceBundleSchema.safeParse(data);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new FactoryError('EVIDENCE_BUNDLE', `${file}: ${i.path.join('.') || '(document)'}: ${i.message}`, {
      file,
      field: i.path.join('.'),
    });
  }
  const slug = validateSlug(r.data.task);
  if (!slug.ok) throw new FactoryError('EVIDENCE_BUNDLE', `${file}: task: ${slug.error}`, { file, field: 'task' });
  return r.data;
}

/**
 * The policy an exported bundle is judged by: the public keys it carries (each checked against
 * its key id, which is the sha256 of the key: a bundle cannot pass one key off as another) with
 * the keys a workspace lists; trusted are the keys `base` (the workspace's policy) trusts and
 * those given in `trust` (for everything). A bundle never trusts its own keys.
 */
export function bundlePolicy(bundle: EvidenceBundleData, base: EvidencePolicy | undefined, trust: readonly string[]): EvidencePolicy {
  const keys = new Map<string, PublicKeyEntry>(base?.keys ?? []);
  const keyProblems = [...(base?.keyProblems ?? [])];
  for (const [i, k] of bundle.keys.entries()) {
    const file = `keys.${i}`;
    try {
      const publicKey = parsePublicKey(k.public_key, `the bundle's ${file}`);
      const keyid = keyIdOf(publicKey);
      if (keyid !== k.keyid) throw new Error(`its key id is ${keyid}, not ${k.keyid}`);
      if (!keys.has(keyid)) keys.set(keyid, { keyid, owner: k.owner, publicKey, pem: k.public_key, file: `${file}.pub` });
    } catch (e) {
      keyProblems.push({ file: `${k.keyid}.pub`, field: file, message: (e as Error).message });
    }
  }
  const all: TrustEntry = { stages: ['*'], approvals: true, audit: true };
  const trusted = { ...(base?.config.trusted_keys ?? {}), ...Object.fromEntries(trust.map((id) => [id, all])) };
  return { config: { trusted_keys: trusted, allow_ungated_approval: base?.config.allow_ungated_approval ?? false }, keys, keyProblems };
}
