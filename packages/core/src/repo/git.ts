import os from 'node:os';
import { execa } from 'execa';
import { FactoryError, err, ok, type Result } from '../domain/errors';
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

export interface GitResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Global options put before every command: no pager, paths printed as they are. */
const GLOBAL_ARGS = ['--no-pager', '-c', 'core.quotepath=off', '-c', 'color.ui=false'];

/** Enough for the diff of a very large change; above it git's output is refused rather than truncated. */
const MAX_BUFFER = 256 * 1024 * 1024;


/** `git diff --numstat abc -- "a b"`: the command as a person would type it, for messages. */
export function formatGitCommand(args: readonly string[]): string {
  const quote = (a: string) => (/^[\w./:=@^{}+,-]+$/.test(a) ? a : JSON.stringify(a));
  return ['git', ...args.map(quote)].join(' ');
}

/**
 * Runs git with an argument array (never a shell). Resolves with git's output when it exits 0
 * or with an allowed code; otherwise throws a `VCS` FactoryError naming the command and the
 * first line of git's stderr.
 */
export async function runGit(args: readonly string[], opts: GitOptions): Promise<GitResult> {
  const result = await execa('git', [...GLOBAL_ARGS, ...args], {
    cwd: opts.cwd,
    env: gitEnv(opts.env),
    extendEnv: true,
    ...(opts.input === undefined ? { stdin: 'ignore' as const } : { input: opts.input }),
    reject: false,
    stripFinalNewline: false,
    maxBuffer: MAX_BUFFER,
    windowsHide: true,
  });
  const command = formatGitCommand(args);
  if (result.exitCode === undefined) {
    const why = result.isMaxBuffer ? `its output exceeded ${MAX_BUFFER} bytes` : result.originalMessage || result.message;
    throw new FactoryError('VCS', `could not run ${command} in ${opts.cwd}: ${why}; check that git is installed and the directory exists`, {
      cause: result,
    });
  }
  const stdout = String(result.stdout ?? '');
  const stderr = String(result.stderr ?? '');
  if (result.exitCode !== 0 && !(opts.allowExitCodes ?? []).includes(result.exitCode)) {
    const first = stderr.split('\n').find((l) => l.trim() !== '') ?? '(no message)';
    throw new FactoryError('VCS', `${command} failed in ${opts.cwd} (exit ${result.exitCode}): ${first.trim()}`, {
      cause: result,
    });
  }
  return { stdout, stderr, exitCode: result.exitCode };
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
