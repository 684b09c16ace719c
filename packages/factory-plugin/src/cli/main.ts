import { FactoryError } from '@factory/core';
import { findWorkspaceRoot, UsageError, type CliContext } from './context';
import * as list from './commands/list';
import * as newTask from './commands/new';
import * as show from './commands/show';
import * as stage from './commands/stage';
import * as tcr from './commands/tcr';
import * as workspace from './commands/workspace';
import * as approve from './commands/approve';
import * as rollout from './commands/rollout';
import * as close from './commands/close';
import * as audit from './commands/audit';

interface Command {
  help: string;
  run(ctx: CliContext, args: string[]): Promise<number>;
}

const COMMANDS: Record<string, Command> = { new: newTask, stage, show, list, approve, rollout, close, audit, tcr, workspace };

const USAGE = `factory: contract-gated, human-approved code changes, on Nx.

Usage: factory <command> [options]

Commands:
  new <slug>            create a task (nx g factory:task)
  stage <slug> <stage>  run one stage through Nx (nx run <slug>:stage-<stage>)
  approve <slug>        approve on fresh green evidence, start the rollout (nx run <slug>:approve)
  rollout <slug>        next rollout step after a health check, --to <percent>, --abort
  close <slug>          a task at 100 % is done
  show <slug>           status, stages, coverage, lines changed, approvals, rollout  [--json]
  list                  every task with its status and rollout                      [--json]
  audit verify          check the audit trail's hash chains                          [--json]
  tcr <run|list|restore> Test-Code-Revert in a task's workspace; reverted attempts
  workspace <create|path|list|restore|delete>  a task's isolated workspace

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
  const cmd = COMMANDS[name];
  if (!cmd) {
    err(`factory: unknown command "${name}". Commands: ${Object.keys(COMMANDS).join(', ')}. See factory --help\n`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    out(`${cmd.help}\n`);
    return 0;
  }
  const root = io.root ?? findWorkspaceRoot(process.cwd());
  if (!root) {
    err('factory: no Nx workspace here (no nx.json in this directory or above). Run factory inside your workspace.\n');
    return 2;
  }
  try {
    return await cmd.run({ root, out, err, env: io.env ?? process.env }, args);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`${e.message}\n`);
      return 2;
    }
    if (e instanceof FactoryError) {
      err(`factory: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
