import { jest } from '@jest/globals';
import { createPublicKey } from 'node:crypto';
import { bundleFromJSON } from '@sigstore/bundle';
import { toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify';
import { appendAuditEvent } from '../audit/append';
import { makeEvidenceRepo, type EvidenceRepo } from '../testing/evidence-repo';
import { attestApproval } from './approval-summary';
import { attestStage } from './attest';
import { exportEvidence, type EvidenceBundle } from './bundle-export';
import { generateSigningKey, type SigningKey } from './keys';
import { judgeStageEvidence } from './judge-stage-evidence';
import type { SigstoreBundle } from './sigstore';

jest.setTimeout(60_000);

/**
 * Interoperability: Factory's attestations, exported as Sigstore bundles, checked by the
 * `@sigstore/verify` npm package (Sigstore's own JavaScript verifier, not code written here)
 * against the public key from `.factory/keys/`, with no transparency log and no timestamp
 * required. It must accept the genuine envelopes and reject tampered ones.
 */
function sigstoreVerifier(keys: { keyid: string; pem: string }[]): Verifier {
  // keyDetails 7 is PKIX_ED25519 in Sigstore's protobuf specs.
  const publicKeys: Parameters<typeof toTrustMaterial>[1] = Object.fromEntries(
    keys.map((k) => [k.keyid, { rawBytes: createPublicKey(k.pem).export({ format: 'der', type: 'spki' }), keyDetails: 7 }]),
  );
  const trust = toTrustMaterial(
    {
      mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
      certificateAuthorities: [],
      timestampAuthorities: [],
      tlogs: [],
      ctlogs: [],
    },
    publicKeys,
  );
  return new Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 });
}

const verify = (v: Verifier, b: SigstoreBundle | unknown) => v.verify(toSignedEntity(bundleFromJSON(b)));

describe('Factory attestations verified by @sigstore/verify', () => {
  let repo: EvidenceRepo;
  let key: SigningKey;
  let bundle: EvidenceBundle;
  let verifier: Verifier;

  beforeAll(async () => {
    repo = makeEvidenceRepo();
    key = repo.addKey('ann@example.com');
    await appendAuditEvent(repo.root, { task: 'bd-1', actor: 'ann', action: 'task_created', outcome: 'success' });
    for (const stage of ['implement', 'unit-test']) {
      repo.writeResult(stage);
      await attestStage(repo.root, { slug: 'bd-1', stage, codeTree: repo.codeTree(), key });
    }
    const judgement = judgeStageEvidence(repo.root, {
      slug: 'bd-1',
      stages: [
        { name: 'implement', required: true },
        { name: 'unit-test', required: true },
      ],
      codeTree: repo.codeTree(),
    });
    await attestApproval(repo.root, { judgement, approver: 'ann@example.com', key });
    bundle = exportEvidence(repo.root, 'bd-1');
    verifier = sigstoreVerifier(bundle.keys.map((k) => ({ keyid: k.keyid, pem: k.public_key })));
  });
  afterAll(() => repo.cleanup());

  it('accepts every genuine stage attestation and the approval summary, naming the signing key', () => {
    expect(bundle.attestations.map((a) => a.stage)).toEqual(['implement', 'unit-test']);
    for (const b of [...bundle.attestations.map((a) => a.bundle), bundle.approval?.bundle]) {
      const signer = verify(verifier, b);
      expect(signer.key.asymmetricKeyType).toBe('ed25519');
      expect(signer.key.export({ format: 'der', type: 'spki' })).toEqual(key.publicKey.export({ format: 'der', type: 'spki' }));
    }
    const payload = JSON.parse(Buffer.from(bundle.attestations[1].bundle.dsseEnvelope.payload, 'base64').toString()) as Record<
      string,
      unknown
    >;
    expect(payload).toMatchObject({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'code', digest: { gitTree: repo.codeTree() } }, { name: '.factory/bd-1/contract.yaml' }],
    });
  });

  it('rejects an attestation whose statement was changed after signing', () => {
    const b = structuredClone(bundle.attestations[1].bundle);
    const st = JSON.parse(Buffer.from(b.dsseEnvelope.payload, 'base64').toString()) as { predicate: { verdict: string; cause: string } };
    st.predicate.cause = 'forged';
    b.dsseEnvelope.payload = Buffer.from(JSON.stringify(st)).toString('base64');
    expect(() => verify(verifier, b)).toThrow(expect.objectContaining({ code: 'SIGNATURE_ERROR' }));
  });

  it('rejects a changed payload type, a signature made by another key, and an unknown key hint', () => {
    const typed = structuredClone(bundle.attestations[0].bundle);
    typed.dsseEnvelope.payloadType = 'application/json';
    expect(() => verify(verifier, typed)).toThrow(expect.objectContaining({ code: 'SIGNATURE_ERROR' }));
    const other = sigstoreVerifier([
      { keyid: key.keyid, pem: generateSigningKey().publicKey.export({ format: 'pem', type: 'spki' }).toString() },
    ]);
    expect(() => verify(other, bundle.attestations[0].bundle)).toThrow(expect.objectContaining({ code: 'SIGNATURE_ERROR' }));
    const hinted = structuredClone(bundle.attestations[0].bundle);
    hinted.verificationMaterial.publicKey.hint = 'f'.repeat(64);
    expect(() => verify(verifier, hinted)).toThrow(/key not found/);
  });
});
