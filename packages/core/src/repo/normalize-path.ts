/**
 * A path as globs are matched against it: forward slashes, no leading `./`. A module of its own
 * (no picomatch) for the matchers compiled ahead of time (gates/default-exclude.ts).
 */
export function normalizePath(path: string): string {
  let p = path.replace(/\\/g, '/');
  while (p.startsWith('./')) p = p.slice(2);
  return p;
}
