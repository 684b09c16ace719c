import { findWorkspaceRoot, UsageError, type CliContext } from './context';
import { COMMANDS } from './commands';

const USAGE = `factory: contract-gated, human-approved code changes, on Nx.

Usage: factory <command> [options]

Commands:
${Object.values(COMMANDS)
  .map((c) => `  ${c.usage}`)
  .join('\n')}

Run "factory <command> --help" for a command's options. Most work also goes through Nx:
  nx run <slug>:pipeline      nx affected -t stage-unit-test      nx show project <slug>`;

/** The `factory` CLI. Returns the exit code: 0 ok, 1 failed, 2 usage or configuration error. */
export async function main(argv: string[], io: Partial<CliContext> & { version?: string } = {}): Promise<number> {
  const out = io.out ?? ((t: string) => void process.stdout.write(t));
  const err = io.err ?? ((t: string) => void process.stderr.write(t));
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out(`${USAGE}\n`);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    out(`${io.version ?? 'unknown'}\n`);
    return 0;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    err(`factory: unknown command "${name}". Commands: ${Object.keys(COMMANDS).join(', ')}. See factory --help\n`);
    return 2;
  }
  const cmd = await entry.load();
  if (args.includes('--help') || args.includes('-h')) {
    out(`${cmd.help}\n`);
    return 0;
  }
  const root = io.root ?? findWorkspaceRoot(process.cwd()) ?? (cmd.anywhere ? process.cwd() : undefined);
  if (!root) {
    err('factory: no Nx workspace here (no nx.json in this directory or above). Run factory inside your workspace.\n');
    return 2;
  }
  try {
    return await cmd.run({ root, out, err, env: io.env ?? process.env, version: io.version }, args);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`${e.message}\n`);
      return 2;
    }
    // The installed core, whose errors tsc's commands throw; loaded here if not already. It also
    // knows the errors of the bundled commands' own copies of core.
    const { isFactoryError } = await import('@factory/core');
    if (isFactoryError(e)) {
      err(`factory: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
