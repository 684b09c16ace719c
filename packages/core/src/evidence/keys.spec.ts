import { createHash, generateKeyPairSync } from 'node:crypto';
import { formatPublicKeyFile, parsePublicKeyFile, resolveKeyId } from './key-file';
import { generateSigningKey, keyIdOf, parsePrivateKey, privateKeyPem, publicKeyPem } from './keys';

describe('keyIdOf', () => {
  it('is the sha256 of the SPKI DER public key, in hex', () => {
    const key = generateSigningKey();
    const der = key.publicKey.export({ format: 'der', type: 'spki' });
    expect(key.keyid).toBe(createHash('sha256').update(der).digest('hex'));
    expect(keyIdOf(key.publicKey)).toBe(key.keyid);
  });
});

describe('parsePrivateKey', () => {
  const key = generateSigningKey();
  const pem = privateKeyPem(key);
  const der64 = key.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');

  it('reads PKCS#8 PEM and the base64 of its DER as the same key', () => {
    expect(parsePrivateKey(pem, 'f').keyid).toBe(key.keyid);
    expect(parsePrivateKey(`  ${der64}\n`, 'f').keyid).toBe(key.keyid);
  });

  it('names the source and what it found, and never quotes the key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const cases: [string, RegExp][] = [
      ['', /got nothing \(it is empty\)/],
      [publicKeyPem(key.publicKey), /got a PEM block of type "PUBLIC KEY"/],
      [
        pem.replaceAll('BEGIN PRIVATE KEY', 'BEGIN RSA PRIVATE KEY').replaceAll('END PRIVATE KEY', 'END RSA PRIVATE KEY'),
        /got a PEM block of type "RSA PRIVATE KEY"/,
      ],
      ['-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----', /got an encrypted key/],
      ['-----BEGIN PRIVATE KEY-----\nMC4CAQAw\n-----END PRIVATE KEY-----\n', /got a damaged PEM block/],
      ['not a key at all!', /got text that is neither PEM nor base64/],
      ['AAAA', /got 3 bytes of base64 that are not a PKCS#8 key/],
      [rsa, /got an rsa key/],
    ];
    for (const [text, expected] of cases) {
      let message = '';
      try {
        parsePrivateKey(text, '/home/ann/.config/factory/keys/signing-key.pem');
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/^\/home\/ann\/\.config\/factory\/keys\/signing-key\.pem: expected an Ed25519 private key as PKCS#8 PEM/);
      expect(message).toMatch(expected);
      expect(message).not.toContain(der64.slice(20, 40));
    }
  });
});

describe('public key files', () => {
  const key = generateSigningKey();
  const file = `.factory/keys/${key.keyid}.pub`;
  const text = formatPublicKeyFile({
    keyid: key.keyid,
    owner: 'ann@example.com',
    created: '2026-01-01T00:00:00.000Z',
    publicKey: key.publicKey,
  });

  it('round-trips the key, its id and its owner', () => {
    expect(text).toContain(`keyid: ${key.keyid}\nowner: ann@example.com\n`);
    const e = parsePublicKeyFile(text, file);
    expect(e).toMatchObject({ keyid: key.keyid, owner: 'ann@example.com', created: '2026-01-01T00:00:00.000Z', file });
  });

  it('refuses a file without an owner, with a wrong key id, under a wrong name, or holding a private key', () => {
    expect(() => parsePublicKeyFile(text.replace(/owner: .*\n/, ''), file)).toThrow(`${file}: owner: expected who the key belongs to`);
    expect(() => parsePublicKeyFile(text.replace(`keyid: ${key.keyid}`, `keyid: ${'0'.repeat(64)}`), file)).toThrow(
      `${file}: keyid: expected ${key.keyid} (the sha256 of the key's SPKI DER), got ${'0'.repeat(64)}`,
    );
    expect(() => parsePublicKeyFile(text, '.factory/keys/other.pub')).toThrow(
      `.factory/keys/other.pub: (file name): expected ${key.keyid}.pub`,
    );
    expect(() => parsePublicKeyFile(privateKeyPem(key), file)).toThrow(/got a private key: remove this file now/);
    expect(() => parsePublicKeyFile('owner: x\n', file)).toThrow(
      `${file}: expected an Ed25519 public key as PEM ("-----BEGIN PUBLIC KEY-----"), got no PEM block`,
    );
  });
});

describe('resolveKeyId', () => {
  const ids = ['ab'.repeat(32), 'abcd'.repeat(16), 'cd'.repeat(32)];
  it('accepts a full id or a unique prefix of at least 8 hex digits', () => {
    expect(resolveKeyId('CDCDCDCD', ids)).toEqual({ keyid: 'cd'.repeat(32) });
    expect(resolveKeyId('ab'.repeat(32), [])).toEqual({ keyid: 'ab'.repeat(32) });
    expect(resolveKeyId('abab', ids)).toEqual({ error: 'expected a key id (64 hex digits, or a unique prefix of at least 8), got "abab"' });
    expect(resolveKeyId('abababab', ids)).toEqual({ keyid: 'ab'.repeat(32) });
    expect(resolveKeyId('ef012345', ids)).toMatchObject({ error: expect.stringContaining('no key ef012345… is listed') });
  });
});
