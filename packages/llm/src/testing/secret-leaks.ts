/**
 * Finds a secret anywhere it could escape: an error's message, `String(error)`, its stack,
 * `util.inspect` (which prints own fields and the `[cause]` chain), each cause in the chain,
 * and any returned data.
 */
import { inspect } from 'node:util';

/** The places in `value` where `secret` appears; empty when it appears nowhere. */
export function secretLeaks(value: unknown, secret: string): string[] {
  const places: string[] = [];
  const check = (where: string, text: string | undefined) => {
    if (text !== undefined && text.includes(secret)) places.push(where);
  };
  check('inspect', inspect(value, { depth: 20, showHidden: true }));
  let current: unknown = value;
  for (let depth = 0; depth < 10 && typeof current === 'object' && current !== null; depth++) {
    const label = depth === 0 ? 'value' : `cause[${depth}]`;
    if (current instanceof Error || 'message' in current) {
      const error = current as Error;
      check(`${label}.message`, String(error.message));
      check(`String(${label})`, String(error));
      check(`${label}.stack`, error.stack);
    }
    check(`JSON(${label})`, safeJson(current));
    current = (current as { cause?: unknown }).cause;
  }
  return places;
}

function safeJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

type ConsoleMethod = 'log' | 'info' | 'warn' | 'error' | 'debug';
const METHODS: ConsoleMethod[] = ['log', 'info', 'warn', 'error', 'debug'];

/** Records everything written through `console` (still printing it) until `restore()`. */
export function recordConsole(): { lines: string[]; restore: () => void } {
  const lines: string[] = [];
  const originals = METHODS.map((m) => [m, console[m]] as const);
  for (const [method, original] of originals) {
    console[method] = (...args: unknown[]) => {
      lines.push(args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 10 }))).join(' '));
      original.apply(console, args);
    };
  }
  return {
    lines,
    restore: () => {
      for (const [method, original] of originals) console[method] = original;
    },
  };
}
