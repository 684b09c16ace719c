import { err, ok, type Result } from '../domain/errors';

/** A PEP 508 requirement reduced to what the dependency gate compares. */
export interface Requirement {
  /** Normalised per PEP 503. */
  name: string;
  /** Version specifier without spaces (`>=2,<3`), `@ <url>` for direct references, `*` for none. */
  spec: string;
}

/** PEP 503 name normalisation: lower-case, runs of `-`, `_` and `.` become one `-`. */
export function normalizePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

const NAME = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[[^\]]*\])?(.*)$/s;
const SPECIFIER = /^(?:===|[<>=!~]=?)/;

/** Parses `name[extras] specifier ; markers` or `name @ url ; markers`, ignoring extras and markers. */
export function parseRequirement(text: string): Result<Requirement> {
  const marker = text.indexOf(';');
  const body = (marker < 0 ? text : text.slice(0, marker)).trim();
  const m = NAME.exec(body);
  const expected = `expected a requirement such as "requests>=2.31", got ${JSON.stringify(text.trim())}`;
  if (!m) return err(expected);
  const name = normalizePythonName(m[1]);
  let rest = m[2].trim();
  if (rest.startsWith('@')) return ok({ name, spec: `@ ${rest.slice(1).trim()}` });
  if (rest.startsWith('(') && rest.endsWith(')')) rest = rest.slice(1, -1);
  rest = rest.replace(/\s+/g, '');
  if (rest !== '' && !SPECIFIER.test(rest)) return err(expected);
  return ok({ name, spec: rest === '' ? '*' : rest });
}
