import os from 'node:os';
import { err, ok, type Result } from '../domain/errors';
import { runProgram, runProgramSync, type ProgramOptions, type ProgramResult } from '../process/program';
import { gitEnv } from './git-env';

export { gitEnv };

export interface GitOptions {
  cwd: string;
  /** Added to (and overriding) the environment git gets. */
  env?: Record<string, string>;
  /** Written to git's stdin; without it stdin is closed. */
  input?: string;
  /** Exit codes other than 0 that are answers rather than failures (`git diff --no-index` exits 1). */
  allowExitCodes?: number[];
}

export type GitResult = ProgramResult;

/** Global options put before every command: no pager, paths printed as they are. */
const GLOBAL_ARGS = ['--no-pager', '-c', 'core.quotepath=off', '-c', 'color.ui=false'];

/** `git diff --numstat abc -- "a b"`: the command as a person would type it, for messages. */
export function formatGitCommand(args: readonly string[]): string {
  const quote = (a: string) => (/^[\w./:=@^{}+,-]+$/.test(a) ? a : JSON.stringify(a));
  return ['git', ...args.map(quote)].join(' ');
}

/**
 * Runs git with an argument array (never a shell) and the environment of `gitEnv`. Resolves with
 * git's output when it exits 0 or with an allowed code; otherwise throws a `VCS` FactoryError
 * naming the command and the first line of git's stderr.
 */
export function runGit(args: readonly string[], opts: GitOptions): Promise<GitResult> {
  return runProgram('git', [...GLOBAL_ARGS, ...args], programOptions(args, opts));
}

/** `runGit`, synchronously: for the few callers that cannot await. */
export function runGitSync(args: readonly string[], opts: GitOptions): GitResult {
  return runProgramSync('git', [...GLOBAL_ARGS, ...args], programOptions(args, opts));
}

function programOptions(args: readonly string[], opts: GitOptions): ProgramOptions {
  return {
    cwd: opts.cwd,
    env: { ...process.env, ...gitEnv(opts.env) },
    input: opts.input,
    allowExitCodes: opts.allowExitCodes,
    shown: formatGitCommand(args),
  };
}

/** The installed git's version (`2.39.5`), or a message saying git could not be run. */
export async function checkGit(cwd: string = os.tmpdir()): Promise<Result<string>> {
  try {
    const { stdout } = await runGit(['--version'], { cwd });
    const version = /git version (\S+)/.exec(stdout)?.[1];
    return version ? ok(version) : err(`expected "git --version" to print "git version <n>", got ${JSON.stringify(stdout.trim())}`);
  } catch (e) {
    return err(`git is required but could not be run (${(e as Error).message}); install git and put it on PATH`);
  }
}
