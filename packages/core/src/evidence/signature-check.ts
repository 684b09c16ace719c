import { shortKeyId } from './keys';
import { verifyEnvelopeSignature, type ParsedEnvelope } from './dsse';
import { keyStanding, scopeName, type EvidencePolicy, type TrustScope } from './trust';

/** Who "signed" evidence in a repository that lists no key yet. */
export const UNSIGNED_OWNER = 'unsigned: no key is listed in .factory/keys/ (factory keys init to require signatures)';

export type SignatureFailure = 'unsigned' | 'unknown-key' | 'untrusted-key' | 'bad-signature';

export type SignatureCheck =
  { ok: true; keyid: string; owner: string } | { ok: false; reason: SignatureFailure; keyid?: string; owner?: string; message: string };

/**
 * Checks an envelope's signatures against the policy for one scope: it holds when one
 * signature by a listed key trusted for the scope verifies. Otherwise the reason is the most
 * telling one found: a trusted key whose signature fails (forged) before a listed key not
 * trusted here, before a key nobody listed, before no signature at all.
 */
export function checkSignatures(
  parsed: ParsedEnvelope,
  policy: EvidencePolicy,
  scope: TrustScope,
  opts: { inRepository?: boolean } = {},
): SignatureCheck {
  const sigs = parsed.envelope.signatures;
  // Until a repository lists a key (factory keys init), evidence is checked for its digests only:
  // unsigned holds then, and says so. In the repository (`inRepository`), so does evidence signed
  // by a key of the runner's machine that the repository does not list (a key made for another
  // repository): nothing asked for signatures yet. A bundle, checked elsewhere, keeps its keys'
  // signatures strict. Once a key is listed, a signature by a trusted key is required.
  const noKeys = policy.keys.size === 0 && !policy.keyProblems.length;
  if (noKeys && (!sigs.length || opts.inRepository)) return { ok: true, keyid: '', owner: UNSIGNED_OWNER };
  if (!sigs.length) return { ok: false, reason: 'unsigned', message: 'it is unsigned (no signing key was available when it was made)' };
  let forged: { keyid: string; owner: string } | undefined;
  let untrusted: { keyid: string; owner: string } | undefined;
  let unknown: string | undefined;
  for (const s of sigs) {
    const entry = policy.keys.get(s.keyid);
    const standing = keyStanding(policy, s.keyid, scope);
    if (!entry || standing === 'unknown') {
      unknown ??= s.keyid;
      continue;
    }
    if (standing === 'untrusted') {
      untrusted ??= { keyid: s.keyid, owner: entry.owner };
      continue;
    }
    if (verifyEnvelopeSignature(parsed, s, entry.publicKey)) return { ok: true, keyid: s.keyid, owner: entry.owner };
    forged ??= { keyid: s.keyid, owner: entry.owner };
  }
  if (forged)
    return {
      ok: false,
      reason: 'bad-signature',
      ...forged,
      message: `its signature by key ${shortKeyId(forged.keyid)} (${forged.owner}) does not verify: it was forged or altered after signing`,
    };
  if (untrusted)
    return {
      ok: false,
      reason: 'untrusted-key',
      ...untrusted,
      message: `it is signed by key ${shortKeyId(untrusted.keyid)} (${untrusted.owner}), which is not trusted for ${scopeName(scope)} (.factory/config.yaml evidence.trusted_keys; see factory keys trust)`,
    };
  const problem = policy.keyProblems.find((p) => unknown && p.file.endsWith(`${unknown}.pub`));
  return {
    ok: false,
    reason: 'unknown-key',
    ...(unknown ? { keyid: unknown } : {}),
    message: `it is signed by an unknown key id ${unknown ? JSON.stringify(unknown.slice(0, 64)) : '(none given)'}: no such key is listed in .factory/keys/${
      problem ? ` (${problem.file} could not be read: ${problem.message})` : ''
    }`,
  };
}
