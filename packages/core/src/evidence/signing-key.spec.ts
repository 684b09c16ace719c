import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateSigningKey, privateKeyPem } from './keys';
import { KEYRING_ACCOUNT, KEYRING_SERVICE, loadSigningKey, signingKeyFile, storeSigningKey, type KeyringStore } from './signing-key';

/**
 * A keyring kept in memory. The OS keyring cannot be used on the machines this was built on
 * (no Secret Service: "AccessDenied"), so the keyring path is tested through this stand-in of
 * the same two calls; the real one is tested for failing over to the file.
 */
function memoryKeyring(): KeyringStore & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    get: async (s, a) => entries.get(`${s}/${a}`),
    set: async (s, a, v) => void entries.set(`${s}/${a}`, v),
  };
}
const brokenKeyring: KeyringStore = {
  get: async () => {
    throw new Error('no keyring');
  },
  set: async () => {
    throw new Error('no keyring');
  },
};

describe('signing keys', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'factory-keys-'));
    env = { XDG_CONFIG_HOME: path.join(dir, 'config'), HOME: path.join(dir, 'home') };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('uses $XDG_CONFIG_HOME/factory/keys/signing-key.pem, else ~/.config', () => {
    expect(signingKeyFile(env)).toBe(path.join(dir, 'config/factory/keys/signing-key.pem'));
    expect(signingKeyFile({ HOME: '/home/ann' })).toBe('/home/ann/.config/factory/keys/signing-key.pem');
  });

  it('stores a key in a 0600 file in a 0700 directory when there is no keyring, and loads it back', async () => {
    const key = generateSigningKey();
    expect(await storeSigningKey(key, { env, keyring: brokenKeyring })).toEqual({ source: 'file', where: signingKeyFile(env) });
    expect(statSync(signingKeyFile(env)).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(signingKeyFile(env))).mode & 0o777).toBe(0o700);
    const loaded = await loadSigningKey({ env, keyring: brokenKeyring });
    expect(loaded).toMatchObject({ source: 'file', where: signingKeyFile(env) });
    expect(loaded?.key.keyid).toBe(key.keyid);
    await expect(storeSigningKey(generateSigningKey(), { env, keyring: null })).rejects.toThrow(/a signing key is already there/);
  });

  it('stores in and loads from the keyring when one works', async () => {
    const keyring = memoryKeyring();
    const key = generateSigningKey();
    expect((await storeSigningKey(key, { env, keyring })).source).toBe('keyring');
    expect(keyring.entries.get(`${KEYRING_SERVICE}/${KEYRING_ACCOUNT}`)).toBe(privateKeyPem(key));
    const loaded = await loadSigningKey({ env, keyring });
    expect(loaded).toMatchObject({ source: 'keyring', where: expect.stringContaining('the OS keyring') });
    expect(loaded?.key.keyid).toBe(key.keyid);
  });

  it('prefers FACTORY_SIGNING_KEY (CI), as PEM or one-line base64 DER', async () => {
    const key = generateSigningKey();
    await storeSigningKey(generateSigningKey(), { env, keyring: null });
    const b64 = key.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    for (const value of [privateKeyPem(key), b64]) {
      const loaded = await loadSigningKey({ env: { ...env, FACTORY_SIGNING_KEY: value }, keyring: null });
      expect(loaded).toMatchObject({ source: 'env', where: 'FACTORY_SIGNING_KEY' });
      expect(loaded?.key.keyid).toBe(key.keyid);
    }
  });

  it('names the variable of a malformed FACTORY_SIGNING_KEY without quoting it', async () => {
    const secret = 'c2VjcmV0IHRoYXQgaXMgbm90IGEga2V5';
    await expect(loadSigningKey({ env: { ...env, FACTORY_SIGNING_KEY: secret }, keyring: null })).rejects.toThrow(
      /^the environment variable FACTORY_SIGNING_KEY: expected an Ed25519 private key .* got 24 bytes of base64 that are not a PKCS#8 key$/,
    );
    await loadSigningKey({ env: { ...env, FACTORY_SIGNING_KEY: secret }, keyring: null }).catch((e: Error) =>
      expect(e.message).not.toContain(secret),
    );
  });

  it('names a malformed key file, and refuses one that others can read', async () => {
    const file = signingKeyFile(env);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, 'garbage\n', { mode: 0o600 });
    await expect(loadSigningKey({ env, keyring: null })).rejects.toThrow(`${file}: expected an Ed25519 private key`);
    writeFileSync(file, privateKeyPem(generateSigningKey()));
    chmodSync(file, 0o644);
    await expect(loadSigningKey({ env, keyring: null })).rejects.toThrow(
      `${file}: expected a private key file only its owner can read (mode 0600), got mode 0644; run chmod 600 ${file}`,
    );
  });

  it('refuses a key file inside the workspace', async () => {
    const root = path.join(dir, 'config');
    await expect(storeSigningKey(generateSigningKey(), { env, keyring: null, root })).rejects.toThrow(
      /expected the private key file outside the workspace/,
    );
    await storeSigningKey(generateSigningKey(), { env, keyring: null });
    await expect(loadSigningKey({ env, keyring: null, root })).rejects.toThrow(/expected the private key file outside the workspace/);
  });

  it('finds nothing, without failing, when there is no key and the OS keyring cannot be used', async () => {
    // The real @napi-rs/keyring: on a machine without a usable keyring it throws, which is "no key".
    const loaded = await loadSigningKey({ env });
    expect(loaded === undefined || loaded.source === 'keyring').toBe(true);
  });
});
