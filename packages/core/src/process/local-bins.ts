import path from 'node:path';

/**
 * PATH as npm gives it to a package.json script: every `node_modules/.bin` from `cwd` up to the
 * file system's root, nearest first, then `current`. A stage's command can then name a project's
 * own tools (`jest`, `eslint`) as its scripts do; detection writes them so, since starting npm to
 * find them (`npx --no-install`) costs ~0.6 s of CPU per command (docs/benchmarks.md).
 */
export function withLocalBins(cwd: string, current: string | undefined): string {
  const dirs: string[] = [];
  for (let d = path.resolve(cwd); ; d = path.dirname(d)) {
    dirs.push(path.join(d, 'node_modules', '.bin'));
    if (path.dirname(d) === d) break;
  }
  return [...dirs, ...(current ? [current] : [])].join(path.delimiter);
}
