import { loadGithubConfig, tokenAccount, webBaseUrl } from '../../surfaces/github/config';
import { githubClient, step } from '../../surfaces/github/client';
import { deviceSignIn } from '../../surfaces/github/device-flow';
import { findToken, forgetToken, saveToken } from '../../surfaces/github/token';
import { parseCommandArgs } from '../args';
import { UsageError, type CliContext } from '../context';

export const help = `factory auth github [--status | --logout]

Signs in to GitHub (or the GitHub Enterprise server of github.base_url) with the OAuth device
flow: it shows a code and the page to enter it on, waits until you have, checks the token, and
stores it in the OS keyring (service "factory", account "github:<host>"). The token is never
printed or written to a file. --status says who the stored (or environment) token belongs to;
--logout removes it from the keyring.

Needs github.client_id in .factory/config.yaml: the client id of a GitHub App with the device
flow enabled (its user tokens can write check runs), or of an OAuth App with
github.client_type: oauth-app. In CI, set FACTORY_GITHUB_TOKEN (or GITHUB_TOKEN) instead.`;

export async function run(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('auth', args, { status: { type: 'boolean' }, logout: { type: 'boolean' } });
  if (positionals[0] !== 'github' || positionals.length !== 1)
    throw new UsageError('factory auth: expected "github", e.g. factory auth github (the only service Factory signs in to)');
  const config = loadGithubConfig(ctx.root);
  const host = new URL(webBaseUrl(config)).host;
  if (values.logout) {
    const removed = await forgetToken(config);
    ctx.out(removed ? `Signed out of ${host}: the token is gone from the OS keyring.\n` : `No token for ${host} in the OS keyring.\n`);
    return 0;
  }
  if (values.status) {
    const found = await findToken(config, { env: ctx.env });
    if ('why' in found) {
      ctx.err(`factory auth: ${found.why}\n`);
      return 1;
    }
    const gh = await githubClient(config, found.token, (l) => ctx.err(`factory › ${l}\n`));
    const me = await step(`checking the token from ${found.source}`, () => gh.rest.users.getAuthenticated());
    ctx.out(`Signed in to ${host} as ${me.data.login} (the token from ${found.source}).\n`);
    return 0;
  }
  const { token } = await deviceSignIn(config, (v) =>
    ctx.out(
      `To sign in to ${host}, open ${v.verification_uri} and enter the code ${v.user_code} (it expires in ${Math.round(v.expires_in / 60)} min). Waiting…\n`,
    ),
  );
  const gh = await githubClient(config, token, (l) => ctx.err(`factory › ${l}\n`));
  const me = await step('checking the new token', () => gh.rest.users.getAuthenticated());
  try {
    await saveToken(config, token);
  } catch (e) {
    ctx.err(
      `factory auth: signed in as ${me.data.login}, but the OS keyring could not store the token (${(e as Error).message}). ` +
        'It was not saved anywhere; where there is no keyring (a container, CI), set FACTORY_GITHUB_TOKEN instead.\n',
    );
    return 1;
  }
  ctx.out(`Signed in to ${host} as ${me.data.login}; the token is in the OS keyring (service factory, account ${tokenAccount(config)}).\n`);
  return 0;
}
