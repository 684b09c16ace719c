import { startDashboard } from '../../surfaces/ui/server';
import { parseCommandArgs, str } from '../args';
import { UsageError, type CliContext } from '../context';

export const help = `factory ui [--port <n>]

Serves the reports of every task live on http://127.0.0.1:<port> (a free port unless --port),
and prints the address with its token: only that URL opens it. The page updates as stages
finish (it watches .factory/). A task's page can approve it, advance its rollout or abort it,
through the same functions as factory approve / rollout, as the local user (FACTORY_ACTOR,
git's user.email, else the login name), after a confirmation in the page; refused when CI is set.
Requests on another Host than 127.0.0.1:<port> or localhost:<port> are refused. Ctrl-C stops it.`;

/** Resolves when the process is asked to stop. */
function stopped(): Promise<string> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => () => resolve(signal);
    process.once('SIGINT', on('SIGINT'));
    process.once('SIGTERM', on('SIGTERM'));
  });
}

export async function run(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('ui', args, { port: { type: 'string' } });
  if (positionals.length) throw new UsageError(`factory ui: expected no arguments, got ${positionals.join(' ')}`);
  const raw = str(values.port);
  const port = raw === undefined ? 0 : Number(raw);
  if (!/^\d+$/.test(raw ?? '0') || !Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`factory ui: --port: expected a port number from 0 to 65535 (0: any free port), got ${JSON.stringify(raw)}`);
  const ui = await startDashboard({ root: ctx.root, port, env: ctx.env });
  ctx.out(`Factory dashboard: ${ui.url}\n`);
  ctx.out(
    `(on 127.0.0.1 only; the token is the key, share it with no one; live updates: ${ui.watchMode === 'watch' ? 'fs.watch' : 'polling'}; Ctrl-C stops)\n`,
  );
  const signal = await stopped();
  await ui.close();
  ctx.err(`factory ui: stopped (${signal})\n`);
  return 0;
}
