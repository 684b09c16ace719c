import type { DsseEnvelope } from './dsse';

/**
 * A Sigstore bundle (v0.3, https://github.com/sigstore/protobuf-specs) that wraps one of
 * Factory's DSSE envelopes as it is, with a public-key hint (the key id) instead of a
 * certificate, and no transparency-log entry or timestamp: what `@sigstore/verify` checks
 * offline against a public key. Factory's evidence bundles carry every envelope in this form,
 * so an independent implementation can verify each one.
 */
export const SIGSTORE_BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';

export interface SigstoreBundle {
  mediaType: typeof SIGSTORE_BUNDLE_MEDIA_TYPE;
  verificationMaterial: {
    publicKey: { hint: string };
    tlogEntries: never[];
    timestampVerificationData: { rfc3161Timestamps: never[] };
  };
  dsseEnvelope: DsseEnvelope;
}

export function toSigstoreBundle(envelope: DsseEnvelope): SigstoreBundle {
  return {
    mediaType: SIGSTORE_BUNDLE_MEDIA_TYPE,
    verificationMaterial: {
      publicKey: { hint: envelope.signatures[0]?.keyid ?? '' },
      tlogEntries: [],
      timestampVerificationData: { rfc3161Timestamps: [] },
    },
    dsseEnvelope: {
      payloadType: envelope.payloadType,
      payload: envelope.payload,
      signatures: envelope.signatures.map((s) => ({ keyid: s.keyid, sig: s.sig })),
    },
  };
}

/** The DSSE envelope inside a Sigstore bundle read back from JSON, or why there is none. */
export function envelopeOfSigstoreBundle(data: unknown): { value: unknown } | { error: string } {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return { error: 'expected a Sigstore bundle (a JSON object)' };
  const b = data as { mediaType?: unknown; dsseEnvelope?: unknown };
  if (typeof b.mediaType !== 'string' || !b.mediaType.startsWith('application/vnd.dev.sigstore.bundle'))
    return { error: `mediaType: expected a Sigstore bundle media type, got ${JSON.stringify(b.mediaType)?.slice(0, 80) ?? 'nothing'}` };
  if (!b.dsseEnvelope) return { error: 'dsseEnvelope: expected a DSSE envelope, got nothing' };
  return { value: b.dsseEnvelope };
}
