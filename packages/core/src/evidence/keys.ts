import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { FactoryError } from '../domain/errors';

/** An Ed25519 key pair that signs evidence. The private part never leaves this object. */
export interface SigningKey {
  keyid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/**
 * A key's id: the sha256 of its public key's SPKI DER encoding, in hex. Anyone can compute it
 * from the public key alone (`openssl pkey -pubin -outform DER | sha256sum`), so a key id
 * cannot be claimed for another key.
 */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ format: 'der', type: 'spki' }))
    .digest('hex');
}

export const KEY_ID_RE = /^[0-9a-f]{64}$/;

/** The first 16 hex digits of a key id: how keys are shown. */
export const shortKeyId = (keyid: string): string => keyid.slice(0, 16);

export function generateSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { keyid: keyIdOf(publicKey), privateKey, publicKey };
}

/** PKCS#8 PEM of the private key: what the keyring entry or key file holds. */
export function privateKeyPem(key: SigningKey): string {
  return key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

export function publicKeyPem(publicKey: KeyObject): string {
  return publicKey.export({ format: 'pem', type: 'spki' }).toString();
}

/** The PEM block types in `text` (e.g. "PRIVATE KEY"), for messages that must not quote a key. */
function pemTypes(text: string): string[] {
  return [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)].map((m) => m[1]);
}

/**
 * Reads an Ed25519 private key from PKCS#8 PEM (`openssl genpkey -algorithm ed25519`) or the
 * base64 of its DER (one line, for an environment variable). `source` names where it came from
 * (a file or a variable) in errors; errors never contain the key text.
 */
export function parsePrivateKey(text: string, source: string): SigningKey {
  const expected = 'expected an Ed25519 private key as PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----") or the base64 of its DER';
  const bad = (got: string, cause?: unknown) =>
    new FactoryError('EVIDENCE_KEY', `${source}: ${expected}, got ${got}`, { file: source, cause });
  const trimmed = text.trim();
  if (!trimmed) throw bad('nothing (it is empty)');
  let privateKey: KeyObject;
  if (trimmed.includes('-----BEGIN')) {
    const types = pemTypes(trimmed);
    if (types.includes('ENCRYPTED PRIVATE KEY'))
      throw bad('an encrypted key (Factory needs it unencrypted; the keyring or a 0600 file protects it)');
    if (!types.includes('PRIVATE KEY')) throw bad(`a PEM block of type ${types.map((t) => `"${t}"`).join(', ') || '(none)'}`);
    try {
      privateKey = createPrivateKey({ key: trimmed, format: 'pem' });
    } catch (e) {
      throw bad('a damaged PEM block', e);
    }
  } else {
    if (!/^[A-Za-z0-9+/=\s]+$/.test(trimmed)) throw bad('text that is neither PEM nor base64');
    try {
      privateKey = createPrivateKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'pkcs8' });
    } catch (e) {
      throw bad(`${Buffer.from(trimmed, 'base64').length} bytes of base64 that are not a PKCS#8 key`, e);
    }
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw bad(`an ${privateKey.asymmetricKeyType ?? 'unknown'} key`);
  const publicKey = createPublicKey(privateKey);
  return { keyid: keyIdOf(publicKey), privateKey, publicKey };
}

/** Reads an Ed25519 public key from SPKI PEM; text before the PEM block (a header) is allowed. */
export function parsePublicKey(text: string, source: string): KeyObject {
  const expected = 'expected an Ed25519 public key as PEM ("-----BEGIN PUBLIC KEY-----")';
  const types = pemTypes(text);
  if (types.some((t) => t.includes('PRIVATE')))
    throw new FactoryError(
      'EVIDENCE_KEY',
      `${source}: ${expected}, got a private key: remove this file now (it must never be committed) and make a new key with factory keys init`,
      { file: source },
    );
  if (!types.includes('PUBLIC KEY'))
    throw new FactoryError(
      'EVIDENCE_KEY',
      `${source}: ${expected}, got ${types.length ? `a PEM block of type "${types[0]}"` : 'no PEM block'}`,
      {
        file: source,
      },
    );
  let key: KeyObject;
  try {
    key = createPublicKey({ key: text.slice(text.indexOf('-----BEGIN PUBLIC KEY-----')), format: 'pem' });
  } catch (e) {
    throw new FactoryError('EVIDENCE_KEY', `${source}: ${expected}, got a damaged PEM block`, { file: source, cause: e });
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new FactoryError('EVIDENCE_KEY', `${source}: ${expected}, got an ${key.asymmetricKeyType ?? 'unknown'} key`, { file: source });
  return key;
}
