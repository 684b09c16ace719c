import path from 'node:path';

/**
 * The PATH the user ran Nx with, from the one Nx's `run-commands` gives a target's command: Nx
 * puts every `node_modules/.bin` from the command's directory up to the root, then the directory
 * of the node running Nx, before the user's PATH (npm-run-path). That directory can hold other
 * interpreters: Debian's `/usr/bin/python3` came before a virtualenv's or pyenv's `python3`, so
 * a stage ran another Python than the user's shell would, and than Nx's runtime inputs (the cache
 * key's `python3 --version`, run with the user's PATH) named. The `.bin` directories stay (a
 * project's tools are found by name, as npm scripts find them); node's directory moves to the end,
 * so that `node` is still found when the user's PATH lacks it. A PATH without that prefix is
 * returned as it is.
 */
export function userPath(value: string | undefined, cwd: string, nodeDir: string): string | undefined {
  if (!value) return value;
  const entries = value.split(path.delimiter);
  let i = 0;
  for (let d = path.resolve(cwd); ; d = path.dirname(d)) {
    if (entries[i] !== path.join(d, 'node_modules', '.bin')) return value;
    i++;
    if (path.dirname(d) === d) break;
  }
  if (entries[i] !== nodeDir) return value;
  const rest = [...entries.slice(0, i), ...entries.slice(i + 1)];
  return (rest.includes(nodeDir) ? rest : [...rest, nodeDir]).join(path.delimiter);
}
