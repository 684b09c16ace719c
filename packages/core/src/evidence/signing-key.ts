import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FactoryError } from '../domain/errors';
import { parsePrivateKey, privateKeyPem, type SigningKey } from './keys';

/**
 * Where a runner's private key lives: never in the repository. In order of lookup: the
 * environment variable `FACTORY_SIGNING_KEY` (CI), a 0600 file under
 * `$XDG_CONFIG_HOME/factory/keys/` (or `~/.config/factory/keys/`), the OS keyring (service
 * `factory`). `factory keys init` stores a new key in the keyring when one works, else in the file.
 */
export const SIGNING_KEY_ENV = 'FACTORY_SIGNING_KEY';
export const KEYRING_SERVICE = 'factory';
export const KEYRING_ACCOUNT = 'evidence-signing-key';

export type Env = Record<string, string | undefined>;

/** The OS keyring, or a stand-in; both methods throw when no keyring can be used. */
export interface KeyringStore {
  get(service: string, account: string): Promise<string | undefined>;
  set(service: string, account: string, value: string): Promise<void>;
}

/**
 * The OS keyring through @napi-rs/keyring, loaded on first use (a native module: a platform
 * without it loses only the keyring). On Linux the entry is pinned to the Secret Service: the
 * library's fallback, the kernel keyring, is memory only and would lose the key at the next
 * reboot (then the 0600 file is used instead).
 */
const PERSISTENT = { linux: { store: 'secret-service' as const } };
export const osKeyring: KeyringStore = {
  async get(service, account) {
    const { Entry } = await import('@napi-rs/keyring');
    return new Entry(service, account, PERSISTENT).getPassword() ?? undefined;
  },
  async set(service, account, value) {
    const { Entry } = await import('@napi-rs/keyring');
    new Entry(service, account, PERSISTENT).setPassword(value);
  },
};

/** `FACTORY_KEYRING=off` (or `0`, `false`): never use the OS keyring, only the file. */
export const KEYRING_ENV = 'FACTORY_KEYRING';

function defaultKeyring(env: Env): KeyringStore | null {
  const v = env[KEYRING_ENV]?.trim().toLowerCase();
  return v === 'off' || v === '0' || v === 'false' ? null : osKeyring;
}

export interface KeySourceOptions {
  env?: Env;
  /** The keyring to use; null: none. Default: the OS keyring, unless FACTORY_KEYRING=off. */
  keyring?: KeyringStore | null;
  /** The workspace root: a key file inside it is refused. */
  root?: string;
}

export type KeySource = 'env' | 'file' | 'keyring';

export interface LoadedSigningKey {
  key: SigningKey;
  source: KeySource;
  /** Where it is, for people: the variable's name, the file's path, or the keyring entry. */
  where: string;
}

const KEYRING_WHERE = `the OS keyring (service "${KEYRING_SERVICE}", account "${KEYRING_ACCOUNT}")`;

/** The private key file: `$XDG_CONFIG_HOME/factory/keys/signing-key.pem`, else under `~/.config`. */
export function signingKeyFile(env: Env = process.env): string {
  const config = env.XDG_CONFIG_HOME?.trim() || path.join(env.HOME?.trim() || os.homedir(), '.config');
  return path.join(path.resolve(config), 'factory', 'keys', 'signing-key.pem');
}

function refuseInside(file: string, root: string | undefined): void {
  if (!root) return;
  const rel = path.relative(path.resolve(root), file);
  if (rel && !rel.startsWith('..') && !path.isAbsolute(rel))
    throw new FactoryError(
      'EVIDENCE_KEY',
      `${file}: expected the private key file outside the workspace ${root}, got a path inside it; set XDG_CONFIG_HOME (or HOME) to a directory outside the repository`,
      { file },
    );
}

function readKeyFile(file: string, root: string | undefined): SigningKey | undefined {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  refuseInside(file, root);
  if (process.platform !== 'win32' && (mode & 0o077) !== 0)
    throw new FactoryError(
      'EVIDENCE_KEY',
      `${file}: expected a private key file only its owner can read (mode 0600), got mode 0${(mode & 0o777).toString(8)}; run chmod 600 ${file}`,
      { file },
    );
  return parsePrivateKey(readFileSync(file, 'utf8'), file);
}

/**
 * This machine's signing key, or undefined when there is none. A key that is there but
 * malformed is an error naming where it is (never quoting it).
 */
export async function loadSigningKey(options: KeySourceOptions = {}): Promise<LoadedSigningKey | undefined> {
  const env = options.env ?? process.env;
  const fromEnv = env[SIGNING_KEY_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '')
    return { key: parsePrivateKey(fromEnv, `the environment variable ${SIGNING_KEY_ENV}`), source: 'env', where: SIGNING_KEY_ENV };
  const file = signingKeyFile(env);
  const fromFile = readKeyFile(file, options.root);
  if (fromFile) return { key: fromFile, source: 'file', where: file };
  const keyring = options.keyring === undefined ? defaultKeyring(env) : options.keyring;
  if (!keyring) return undefined;
  let stored: string | undefined;
  try {
    stored = await keyring.get(KEYRING_SERVICE, KEYRING_ACCOUNT);
  } catch {
    return undefined; // no usable keyring here: the same as no key in it
  }
  if (!stored?.trim()) return undefined;
  return { key: parsePrivateKey(stored, KEYRING_WHERE), source: 'keyring', where: KEYRING_WHERE };
}

/**
 * Stores a new private key: in the OS keyring when it works (checked by reading it back), else
 * in a new 0600 file (in a 0700 directory) outside the workspace. Never overwrites a key file.
 */
export async function storeSigningKey(key: SigningKey, options: KeySourceOptions = {}): Promise<{ source: KeySource; where: string }> {
  const pem = privateKeyPem(key);
  const keyring = options.keyring === undefined ? defaultKeyring(options.env ?? process.env) : options.keyring;
  if (keyring) {
    try {
      await keyring.set(KEYRING_SERVICE, KEYRING_ACCOUNT, pem);
      if ((await keyring.get(KEYRING_SERVICE, KEYRING_ACCOUNT))?.trim() === pem.trim()) return { source: 'keyring', where: KEYRING_WHERE };
    } catch {
      // No usable keyring (headless Linux without Secret Service): the file below.
    }
  }
  const file = signingKeyFile(options.env ?? process.env);
  refuseInside(file, options.root);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST')
      throw new FactoryError(
        'EVIDENCE_KEY',
        `${file}: a signing key is already there; factory keys init uses it instead of making another`,
        { file },
      );
    throw e;
  }
  chmodSync(file, 0o600); // in case the umask widened it
  return { source: 'file', where: file };
}
