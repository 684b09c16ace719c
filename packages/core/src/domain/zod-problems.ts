import type { z } from 'zod';
import type { Problem } from './errors';

/** Describes a found value briefly, for "expected …, got …" messages. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return `a list (${v.length} item${v.length === 1 ? '' : 's'})`;
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  return String(v);
}

const TYPE_NAMES: Record<string, string> = {
  array: 'a list',
  object: 'a mapping',
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
};

function issueMessage(issue: z.core.$ZodIssue): string {
  const got = 'input' in issue ? describeValue(issue.input) : undefined;
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}, got ${got}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${got}`;
    case 'too_big':
      return `expected at most ${String(issue.maximum)}${issue.origin === 'string' ? ' characters' : ''}, got ${got}`;
    case 'too_small':
      return `expected at least ${String(issue.minimum)}${
        issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' items' : ''
      }, got ${got}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    case 'invalid_format':
      // A pattern (`regex`) says nothing to a reader: the schema's own message says what it wants.
      return issue.format === 'regex' && issue.message.startsWith('expected ')
        ? `${issue.message}, got ${got}`
        : `expected ${issue.format === 'regex' && 'pattern' in issue ? `text matching ${String(issue.pattern)}` : issue.format}, got ${got}`;
    default:
      // Custom refinements write their own "expected …, got …" messages.
      return issue.message;
  }
}

/** Turns zod issues into problems naming the file and the dotted field path. */
export function zodProblems(file: string, error: z.ZodError, prefix: (string | number)[] = []): Problem[] {
  return error.issues.map((issue) => {
    const path = [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    return { file, field: path.length ? path.join('.') : '(document)', message: issueMessage(issue) };
  });
}

/** Parses `data` with `schema`; problems name `file` and each field. */
export function parseWith<S extends z.ZodType>(schema: S, data: unknown, file: string): { value?: z.output<S>; errors: Problem[] } {
  const r = schema.safeParse(data, { reportInput: true });
  if (r.success) return { value: r.data, errors: [] };
  return { errors: zodProblems(file, r.error) };
}
