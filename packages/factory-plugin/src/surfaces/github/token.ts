import { deleteSecret, lookupSecret, storeSecret, type Keyring, type KeyringWriter } from '@factory/llm';
import { tokenAccount, type GithubConfig } from './config';

/** Environment variables a token is taken from first (CI sets one; GitHub Actions has GITHUB_TOKEN). */
export const TOKEN_ENV = ['FACTORY_GITHUB_TOKEN', 'GITHUB_TOKEN'] as const;

export interface TokenSources {
  env: Record<string, string | undefined>;
  keyring?: Keyring & KeyringWriter;
}

export type FoundToken = { token: string; source: string } | { why: string };

/**
 * The GitHub token: FACTORY_GITHUB_TOKEN or GITHUB_TOKEN, else the OS keyring (service
 * 'factory', account `github:<host>`, as `factory auth github` stored it). Never printed: only
 * where it came from is.
 */
export async function findToken(config: Pick<GithubConfig, 'base_url'>, sources: TokenSources): Promise<FoundToken> {
  for (const name of TOKEN_ENV) {
    const v = sources.env[name]?.trim();
    if (v) return { token: v, source: `the environment variable ${name}` };
  }
  const account = tokenAccount(config);
  const r = await lookupSecret(account, { env: {}, ...(sources.keyring ? { keyring: sources.keyring } : {}) });
  if (r.found) return { token: r.value, source: `the OS keyring (service factory, account ${account})` };
  return {
    why:
      `no GitHub token: sign in with "factory auth github" (stored in the OS keyring as factory/${account}), ` +
      `or set FACTORY_GITHUB_TOKEN (CI)${r.keyringProblem ? `; the OS keyring could not be read: ${r.keyringProblem}` : ''}`,
  };
}

export async function saveToken(config: Pick<GithubConfig, 'base_url'>, token: string, keyring?: KeyringWriter): Promise<string> {
  const account = tokenAccount(config);
  await storeSecret(account, token, keyring);
  return account;
}

export async function forgetToken(config: Pick<GithubConfig, 'base_url'>, keyring?: KeyringWriter): Promise<boolean> {
  return deleteSecret(tokenAccount(config), keyring);
}
