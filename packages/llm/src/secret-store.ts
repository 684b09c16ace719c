import { KEYRING_SERVICE } from './errors/missing-api-key-error';

/** Write access to the OS keyring; each call throws when there is no keyring to write to. */
export interface KeyringWriter {
  setPassword(service: string, account: string, value: string): void | Promise<void>;
  /** True when an entry was there to delete. */
  deletePassword(service: string, account: string): boolean | Promise<boolean>;
}

/** The OS keyring through @napi-rs/keyring, loaded on first use (see `osKeyring` in secrets.ts). */
export const osKeyringWriter: KeyringWriter = {
  async setPassword(service, account, value) {
    const { Entry } = await import('@napi-rs/keyring');
    new Entry(service, account).setPassword(value);
  },
  async deletePassword(service, account) {
    const { Entry } = await import('@napi-rs/keyring');
    return new Entry(service, account).deletePassword();
  },
};

/**
 * Stores a secret under NAME in the OS keyring (service 'factory', account `name`), where
 * `lookupSecret` finds it. Throws with the keyring's reason when there is none to write to.
 */
export async function storeSecret(name: string, value: string, keyring: KeyringWriter = osKeyringWriter): Promise<void> {
  await keyring.setPassword(KEYRING_SERVICE, name, value);
}

/** Removes NAME from the OS keyring; false when it was not there. */
export async function deleteSecret(name: string, keyring: KeyringWriter = osKeyringWriter): Promise<boolean> {
  return keyring.deletePassword(KEYRING_SERVICE, name);
}
