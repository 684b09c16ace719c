import { existsSync } from 'node:fs';
import path from 'node:path';
import { createProjectGraphAsync, getProjects, type Tree } from '@nx/devkit';
import type { ProjectRef } from '@factory/llm';

const isTask = (tags: readonly string[] | undefined, root: string) => (tags ?? []).includes('factory:task') || root.startsWith('.factory');

/**
 * The workspace's Nx projects (name and root), Factory's own task projects left out: from the
 * project graph when the workspace is on disk, else (a virtual tree in tests) from the project
 * and package.json files the tree holds.
 */
export async function workspaceProjects(tree: Tree): Promise<ProjectRef[]> {
  if (existsSync(path.join(tree.root, 'nx.json'))) {
    try {
      const graph = await createProjectGraphAsync({ exitOnError: false });
      return Object.values(graph.nodes)
        .filter((n) => !isTask(n.data.tags, n.data.root))
        .map((n) => ({ name: n.name, root: n.data.root }))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
    } catch {
      // The graph cannot be built (e.g. a broken plugin): fall back to what the tree shows.
    }
  }
  return [...getProjects(tree).entries()]
    .filter(([, p]) => !isTask(p.tags, p.root))
    .map(([name, p]) => ({ name, root: p.root }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}
