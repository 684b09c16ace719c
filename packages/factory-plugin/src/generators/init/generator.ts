import { readNxJson, updateNxJson, writeJson, type Tree } from '@nx/devkit';
import { CONFIG_YAML, GITIGNORE_LINES, GLOBAL_CONTRACT_YAML, NX_GITIGNORE_LINES, NXIGNORE_LINES } from './templates';
import { InitSchema, type InitOptions } from './options';

export const PLUGIN_NAME = 'factory';

export function isPluginRegistered(tree: Tree): boolean {
  const plugins = readNxJson(tree)?.plugins ?? [];
  return plugins.some((p) => (typeof p === 'string' ? p : p.plugin) === PLUGIN_NAME);
}

/**
 * Adds the plugin to nx.json; writes nx.json when the repository has none (a repository that
 * installed nx without `nx init`), since Nx's updateNxJson leaves a missing nx.json missing.
 */
function registerPlugin(tree: Tree): void {
  if (!tree.exists('nx.json')) {
    writeJson(tree, 'nx.json', { $schema: './node_modules/nx/schemas/nx-schema.json', plugins: [PLUGIN_NAME] });
    return;
  }
  const nxJson = readNxJson(tree) ?? {};
  if (isPluginRegistered(tree)) return;
  nxJson.plugins = [...(nxJson.plugins ?? []), PLUGIN_NAME];
  updateNxJson(tree, nxJson);
}

/** Appends the lines a file lacks, under a Factory heading. */
export function ensureLines(tree: Tree, file: string, lines: string[]): void {
  const current = tree.exists(file) ? (tree.read(file, 'utf-8') ?? '') : '';
  const have = new Set(current.split(/\r?\n/).map((l) => l.trim()));
  const missing = lines.filter((l) => !have.has(l));
  if (!missing.length) return;
  const sep = current === '' || current.endsWith('\n') ? '' : '\n';
  tree.write(file, `${current}${sep}${current ? '\n' : ''}# Factory\n${missing.join('\n')}\n`);
}

/** Whether one of .gitignore's lines ignores `path` as written (`x`, `x/`, `/x`, `/x/`, and `**\/x` forms). */
const ignores = (lines: ReadonlySet<string>, path: string) =>
  [path, `${path}/`, `/${path}`, `/${path}/`, `**/${path}`, `**/${path}/`].some((l) => lines.has(l));

/**
 * The lines .gitignore needs for what Nx writes into the repository: `node_modules` (a Go, Python
 * or Rust repository that installed Nx may not ignore it, and its files would count as the
 * task's change) and Nx's cache and workspace data, unless `.nx` is ignored as a whole.
 */
function nxLines(tree: Tree): string[] {
  const lines = new Set((tree.exists('.gitignore') ? (tree.read('.gitignore', 'utf-8') ?? '') : '').split(/\r?\n/).map((l) => l.trim()));
  const nxData = ignores(lines, '.nx') || NX_GITIGNORE_LINES.every((l) => ignores(lines, l)) ? [] : NX_GITIGNORE_LINES;
  return [...(ignores(lines, 'node_modules') ? [] : ['node_modules/']), ...nxData];
}

/** Sets up Factory: plugin in nx.json, `.factory/config.yaml`, the global contract, ignores. */
export async function initGenerator(tree: Tree, raw: InitOptions = {}): Promise<void> {
  const options = InitSchema.parse(raw);
  registerPlugin(tree);
  if (!tree.exists('.factory/config.yaml')) tree.write('.factory/config.yaml', CONFIG_YAML);
  if (!tree.exists('.factory/contract.yaml')) tree.write('.factory/contract.yaml', GLOBAL_CONTRACT_YAML);
  if (!options.skipIgnore) {
    ensureLines(tree, '.gitignore', [...nxLines(tree), ...GITIGNORE_LINES]);
    ensureLines(tree, '.nxignore', NXIGNORE_LINES);
  }
}

export default initGenerator;
