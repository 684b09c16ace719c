import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './context';

export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** node:util parseArgs, strict; an unknown or malformed option is a UsageError naming the command. */
export function parseCommandArgs(command: string, args: string[], options: NonNullable<ParseArgsConfig['options']>): ParsedArgs {
  try {
    const r = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: r.values as ParsedArgs['values'], positionals: r.positionals };
  } catch (e) {
    throw new UsageError(`factory ${command}: ${(e as Error).message}`);
  }
}

/** A string option's value (undefined when absent). */
export const str = (v: string | boolean | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
