import { FactoryError } from '../domain/errors';

export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface CommandOptions {
  cwd: string;
  input?: string;
  /** Exit codes other than 0 that are answers rather than failures. */
  allowExitCodes?: number[];
}

/**
 * Runs a program with an argument array (never a shell). The jj backend takes one as a
 * parameter, so that its command sequences can be checked without jj installed.
 */
export type CommandRunner = (file: string, args: readonly string[], opts: CommandOptions) => Promise<CommandResult>;

/** The real runner: execa; a failure throws a `VCS` FactoryError naming the command. */
export const execaRunner: CommandRunner = async (file, args, opts) => {
  // Loaded on first use: every CLI command loads core, few run a program through execa.
  const { execa } = await import('execa');
  const r = await execa(file, [...args], {
    cwd: opts.cwd,
    reject: false,
    stripFinalNewline: false,
    ...(opts.input === undefined ? { stdin: 'ignore' as const } : { input: opts.input }),
    env: { LC_ALL: 'C', JJ_EDITOR: 'true', EDITOR: 'true', NO_COLOR: '1' },
    maxBuffer: 256 * 1024 * 1024,
  });
  const shown = [file, ...args].join(' ');
  if (r.exitCode === undefined) {
    throw new FactoryError(
      'VCS',
      `could not run ${shown} in ${opts.cwd}: ${r.originalMessage || r.message}; check that ${file} is installed and on PATH`,
    );
  }
  const result = { stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), exitCode: r.exitCode };
  if (r.exitCode !== 0 && !(opts.allowExitCodes ?? []).includes(r.exitCode)) {
    const first = result.stderr.split('\n').find((l) => l.trim() !== '') ?? '(no message)';
    throw new FactoryError('VCS', `${shown} failed in ${opts.cwd} (exit ${r.exitCode}): ${first.trim()}`);
  }
  return result;
};
