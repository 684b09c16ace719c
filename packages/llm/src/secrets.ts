import { KEYRING_SERVICE } from './errors/missing-api-key-error';

export { KEYRING_SERVICE };

/** Read access to the OS keyring; `getPassword` may be sync or async and throws when there is no keyring. */
export interface Keyring {
  getPassword(service: string, account: string): string | null | undefined | Promise<string | null | undefined>;
}

/**
 * The OS keyring through @napi-rs/keyring (`new Entry('factory', name).getPassword()`).
 * The native module is loaded on first use, so a platform without a prebuilt binary only
 * loses the keyring, not the whole package.
 */
export const osKeyring: Keyring = {
  async getPassword(service, account) {
    const { Entry } = await import('@napi-rs/keyring');
    return new Entry(service, account).getPassword();
  },
};

export type Env = Record<string, string | undefined>;

export interface SecretLookupOptions {
  /** Where environment variables are read; `process.env` unless given. */
  env?: Env;
  /** The keyring to fall back to; the OS keyring unless given. */
  keyring?: Keyring;
}

export type SecretLookup =
  | { found: true; value: string; source: 'env' | 'keyring' }
  /** `keyringProblem` says why the keyring could not be read, when that was the case. */
  | { found: false; keyringProblem?: string };

/**
 * Looks a secret up by NAME: the environment first (CI sets variables), then the OS keyring
 * under service 'factory', account `name`. A keyring that cannot be read (headless Linux
 * without Secret Service throws) counts as "not found" and the reason is returned.
 */
export async function lookupSecret(name: string, options: SecretLookupOptions = {}): Promise<SecretLookup> {
  const env = options.env ?? process.env;
  const fromEnv = env[name];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return { found: true, value: fromEnv.trim(), source: 'env' };
  try {
    const stored = await (options.keyring ?? osKeyring).getPassword(KEYRING_SERVICE, name);
    if (typeof stored === 'string' && stored.trim() !== '') return { found: true, value: stored.trim(), source: 'keyring' };
    return { found: false };
  } catch (error) {
    return { found: false, keyringProblem: keyringProblem(error) };
  }
}

function keyringProblem(error: unknown): string {
  const message = typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
  return message.trim() === '' ? 'no keyring is available' : message.trim();
}
