import { runProgram, type ProgramResult } from '../process/program';

export type CommandResult = ProgramResult;

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

/** The real runner: `runProgram` in a C locale, with no editor or colour; a failure throws a `VCS` FactoryError naming the command. */
export const programRunner: CommandRunner = (file, args, opts) =>
  runProgram(file, args, { ...opts, env: { ...process.env, LC_ALL: 'C', JJ_EDITOR: 'true', EDITOR: 'true', NO_COLOR: '1' } });
