import type { Tree } from '@nx/devkit';
import type { FileReader } from '@factory/core';

/** Detection's view of a generator's tree: the workspace as it will be once the generator's files are written. */
export function treeReader(tree: Tree): FileReader {
  const rel = (p: string) => (p === '.' ? '' : p);
  return {
    kind: (p) => (!tree.exists(rel(p)) ? undefined : tree.isFile(rel(p)) ? 'file' : 'dir'),
    read: (p) => (tree.exists(rel(p)) && tree.isFile(rel(p)) ? (tree.read(rel(p), 'utf-8') ?? undefined) : undefined),
    list: (p) => tree.children(rel(p)),
  };
}
