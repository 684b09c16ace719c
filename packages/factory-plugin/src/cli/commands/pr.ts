import { validateSlug } from '@factory/core';
import { loadGithubConfig } from '../../surfaces/github/config';
import { publishTask } from '../../surfaces/github/publish';
import { findToken } from '../../surfaces/github/token';
import { parseCommandArgs } from '../args';
import { UsageError, type CliContext } from '../context';

export const help = `factory pr <slug> [--json]

Pushes the task's branch factory/<slug> to github.remote (default origin), opens its pull
request into github.base_branch (default: the repository's default branch), or updates the one
that is open, with a body that sums up the contract, the stages and the approval; and publishes
each stage as a check run on the pushed commit (its cause as the summary; an advisory failure
is neutral; a stage without a result stays queued). Running it again updates the same pull
request and check runs.

The token: FACTORY_GITHUB_TOKEN or GITHUB_TOKEN, else the OS keyring (factory auth github).
Configuration: github: in .factory/config.yaml (see docs/surfaces.md). With
github.pull_request_on_approval: true, approval does this by itself.`;

export async function run(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('pr', args, { json: { type: 'boolean' } });
  if (positionals.length !== 1) throw new UsageError('factory pr: expected one slug, e.g. factory pr bd-52.1');
  const v = validateSlug(positionals[0]);
  if (!v.ok) throw new UsageError(`factory pr: ${v.error}`);
  const config = loadGithubConfig(ctx.root);
  const found = await findToken(config, { env: ctx.env });
  if ('why' in found) {
    ctx.err(`factory pr: ${found.why}\n`);
    return 1;
  }
  const lines: string[] = [];
  const outcome = await publishTask({
    root: ctx.root,
    slug: v.value,
    config,
    token: found.token,
    env: ctx.env,
    out: (l) => (values.json ? lines.push(l) : ctx.out(`factory › ${l}\n`)),
  });
  if (values.json) ctx.out(`${JSON.stringify({ version: 1, ...outcome }, null, 2)}\n`);
  return 0;
}
