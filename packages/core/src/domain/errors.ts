/**
 * One base class for every error Factory raises on purpose. `code` is stable and
 * machine-readable; the CLI and executors map it to exit codes. `message` says
 * what went wrong and, where it can, how to fix it.
 */
export class FactoryError extends Error {
  readonly code: string;
  readonly file?: string;
  readonly field?: string;

  constructor(code: string, message: string, options: { file?: string; field?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FactoryError';
    this.code = code;
    this.file = options.file;
    this.field = options.field;
  }
}

/**
 * Every FactoryError carries this mark (on the prototype, so not an own field): the CLI's
 * bundles each hold their own copy of this class, and the CLI must still know their errors
 * from a crash when it catches them (see `isFactoryError`).
 */
const FACTORY_ERROR = Symbol.for('factory.FactoryError');
Object.defineProperty(FactoryError.prototype, FACTORY_ERROR, { value: true });

/** Whether `e` is a FactoryError (or a subclass), whichever copy of this module made it. */
export function isFactoryError(e: unknown): e is FactoryError {
  return e instanceof FactoryError || (e instanceof Error && (e as Error & { [FACTORY_ERROR]?: unknown })[FACTORY_ERROR] === true);
}

/** Raised when a file or value fails validation; carries every problem found. */
export class ValidationError extends FactoryError {
  readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    super('VALIDATION', problems.map(formatProblem).join('\n'), {
      file: problems[0]?.file,
      field: problems[0]?.field,
    });
    this.name = 'ValidationError';
    this.problems = problems;
  }
}

/** A single validation problem: which file, which field, what was expected, what was found. */
export interface Problem {
  file: string;
  /** Dotted path of the field (`pipeline.2.timeout_seconds`), or `(document)` for the file itself. */
  field: string;
  message: string;
}

export function formatProblem(p: Problem): string {
  return `${p.file}: ${p.field}: ${p.message}`;
}

/** What validation returns: a value when there are no errors, and every problem either way. */
export interface Validated<T> {
  value?: T;
  errors: Problem[];
  warnings: Problem[];
}

export function valid<T>(value: T, warnings: Problem[] = []): Validated<T> {
  return { value, errors: [], warnings };
}

export function invalid<T>(errors: Problem[], warnings: Problem[] = []): Validated<T> {
  return { errors, warnings };
}

/** Returns the value or throws a ValidationError naming every problem. */
export function unwrap<T>(v: Validated<T>): T {
  if (v.errors.length > 0 || v.value === undefined) throw new ValidationError(v.errors);
  return v.value;
}

/** The outcome of a lookup that can fail with a message. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const err = <T = never>(error: string): Result<T> => ({ ok: false, error });
