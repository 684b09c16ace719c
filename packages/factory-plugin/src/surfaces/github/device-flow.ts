import { FactoryError } from '@factory/core';
import { githubError } from './client';
import type { GithubConfig } from './config';

export interface DeviceSignIn {
  token: string;
}

const ERRORS: Record<string, string> = {
  expired_token: 'the code expired before it was entered; run factory auth github again',
  access_denied: 'the sign-in was cancelled at GitHub',
  incorrect_client_credentials: 'github.client_id in .factory/config.yaml is not a client id GitHub knows',
  device_flow_disabled: 'the app of github.client_id does not have the device flow enabled (its settings: "Enable Device Flow")',
  unsupported_grant_type: 'GitHub does not support the device flow here',
};

/**
 * GitHub's OAuth device flow (@octokit/auth-oauth-device): asks for a code, shows it with the
 * page to enter it on, and polls until the person has entered it (waiting longer when GitHub
 * says `slow_down`). The token comes back to the caller only.
 */
export async function deviceSignIn(
  config: Pick<GithubConfig, 'base_url' | 'client_id' | 'client_type'>,
  show: (verification: { verification_uri: string; user_code: string; expires_in: number }) => void,
): Promise<DeviceSignIn> {
  if (!config.client_id)
    throw new FactoryError(
      'CONFIG',
      '.factory/config.yaml: github.client_id: expected the client id of a GitHub App (or OAuth App) with the device flow enabled, got nothing. See docs/surfaces.md',
      { file: '.factory/config.yaml', field: 'github.client_id' },
    );
  const [{ createOAuthDeviceAuth }, { request }] = await Promise.all([import('@octokit/auth-oauth-device'), import('@octokit/request')]);
  const auth = createOAuthDeviceAuth({
    clientType: config.client_type,
    clientId: config.client_id,
    ...(config.client_type === 'oauth-app' ? { scopes: ['repo'] } : {}),
    onVerification: (v) => show({ verification_uri: v.verification_uri, user_code: v.user_code, expires_in: v.expires_in }),
    request: request.defaults({ baseUrl: config.base_url.replace(/\/+$/, ''), headers: { 'user-agent': 'factory-cli' } }),
  } as Parameters<typeof createOAuthDeviceAuth>[0]);
  try {
    const a = (await auth({ type: 'oauth' })) as { token: string };
    return { token: a.token };
  } catch (e) {
    const code = (e as { response?: { data?: { error?: string } } }).response?.data?.error;
    if (code && ERRORS[code]) throw new FactoryError('GITHUB_AUTH', `GitHub sign-in: ${ERRORS[code]} (${code})`);
    throw githubError(e, 'GitHub sign-in');
  }
}
