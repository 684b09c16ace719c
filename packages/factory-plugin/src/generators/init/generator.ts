import { readNxJson, updateNxJson, type Tree } from '@nx/devkit';
import { CONFIG_YAML, GITIGNORE_LINES, GLOBAL_CONTRACT_YAML, NXIGNORE_LINES } from './templates';
import { InitSchema, type InitOptions } from './options';

export const PLUGIN_NAME = 'factory';

export function isPluginRegistered(tree: Tree): boolean {
  const plugins = readNxJson(tree)?.plugins ?? [];
  return plugins.some((p) => (typeof p === 'string' ? p : p.plugin) === PLUGIN_NAME);
}

function registerPlugin(tree: Tree): void {
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

/** Sets up Factory: plugin in nx.json, `.factory/config.yaml`, the global contract, ignores. */
export async function initGenerator(tree: Tree, raw: InitOptions = {}): Promise<void> {
  const options = InitSchema.parse(raw);
  registerPlugin(tree);
  if (!tree.exists('.factory/config.yaml')) tree.write('.factory/config.yaml', CONFIG_YAML);
  if (!tree.exists('.factory/contract.yaml')) tree.write('.factory/contract.yaml', GLOBAL_CONTRACT_YAML);
  if (!options.skipIgnore) {
    ensureLines(tree, '.gitignore', GITIGNORE_LINES);
    ensureLines(tree, '.nxignore', NXIGNORE_LINES);
  }
}

export default initGenerator;
