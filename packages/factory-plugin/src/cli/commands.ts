import type { CliContext } from './context';

/** A command module: its `--help` text and what it does. Loaded only when its command runs. */
export interface CommandModule {
  help: string;
  run(ctx: CliContext, args: string[]): Promise<number>;
  /** True: it also runs outside an Nx workspace (the current directory stands in for the root). */
  anywhere?: boolean;
}

/** A command of the `factory` CLI: the line `factory --help` shows, and how to load it. */
export interface CommandEntry {
  usage: string;
  load: () => Promise<CommandModule>;
}

/**
 * Every command, in the order `factory --help` lists them. Each module loads on use, so a
 * command pays only for what it needs (see docs/benchmarks.md, CLI start-up).
 */
export const COMMANDS: Record<string, CommandEntry> = {
  new: { usage: 'new <slug>            create a task (nx g factory:task)', load: () => import('./commands/new') },
  stage: { usage: 'stage <slug> <stage>  run one stage through Nx (nx run <slug>:stage-<stage>)', load: () => import('./commands/stage') },
  approve: {
    usage: 'approve <slug>        approve on fresh green evidence, start the rollout (nx run <slug>:approve)',
    load: () => import('./commands/approve'),
  },
  rollout: {
    usage: 'rollout <slug>        next rollout step after a health check, --to <percent>, --abort',
    load: () => import('./commands/rollout'),
  },
  close: { usage: 'close <slug>          a task at 100 % is done', load: () => import('./commands/close') },
  show: {
    usage: 'show <slug>           status, stages, coverage, lines changed, approvals, rollout  [--json]',
    load: () => import('./commands/show'),
  },
  list: {
    usage: 'list                  every task with its status and rollout                      [--json]',
    load: () => import('./commands/list'),
  },
  report: {
    usage: 'report [<slug>]       one self-contained HTML page: a task, or every task       [--out <file>]',
    load: () => import('./commands/report'),
  },
  ui: {
    usage: 'ui                    a live dashboard on 127.0.0.1, behind a token             [--port <n>]',
    load: () => import('./commands/ui'),
  },
  pr: {
    usage: 'pr <slug>             push factory/<slug>, open or update its pull request, one check run per stage',
    load: () => import('./commands/pr'),
  },
  auth: {
    usage: 'auth github           sign in to GitHub (device flow); the token goes to the OS keyring',
    load: () => import('./commands/auth'),
  },
  audit: {
    usage: 'audit verify|checkpoint  check the audit trail (chains, cross-checks, signed heads); sign its heads',
    load: () => import('./commands/audit'),
  },
  keys: {
    usage: 'keys <init|list|trust|untrust>  evidence signing keys: yours, the listed ones, what each is trusted for',
    load: () => import('./commands/keys'),
  },
  evidence: {
    usage: "evidence <export|verify>  a task's signed evidence as one bundle; check a bundle offline, stage by stage",
    load: () => import('./commands/evidence'),
  },
  tcr: { usage: "tcr <run|list|restore> Test-Code-Revert in a task's workspace; reverted attempts", load: () => import('./commands/tcr') },
  workspace: {
    usage: "workspace <create|path|list|restore|delete>  a task's isolated workspace",
    load: () => import('./commands/workspace'),
  },
};
