import type { CreateDependenciesContext, ImplicitDependency, RawProjectGraphDependency } from '@nx/devkit';
import { compileGlobs, globBase } from '@factory/core';
import { allowedFilesOf } from './targets';

/** `DependencyType.implicit`, without loading `@nx/devkit` at run time (see nx-adapter.ts). */
const IMPLICIT = 'implicit' as ImplicitDependency['type'];

const overlaps = (a: string, b: string) =>
  a === '' || b === '' || a === '.' || b === '.' || a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);

/**
 * Each task depends on the Nx projects its contract's allowed files reach, so that
 * `nx affected` selects exactly the tasks whose code changed. A project is reached when one
 * of its files matches an allowed glob. Tasks with the same globs are computed once.
 */
export function taskDependencies(context: Pick<CreateDependenciesContext, 'projects' | 'fileMap'>): RawProjectGraphDependency[] {
  const projects = Object.values(context.projects);
  const tasks = projects.filter((p) => p.tags?.includes('factory:task'));
  const others = projects.filter((p) => !p.tags?.includes('factory:task'));
  const byGlobs = new Map<string, string[]>();
  for (const t of tasks) {
    const globs = allowedFilesOf(t);
    if (!globs.length || !t.name) continue;
    const key = JSON.stringify(globs);
    byGlobs.set(key, [...(byGlobs.get(key) ?? []), t.name]);
  }
  const deps: RawProjectGraphDependency[] = [];
  for (const [key, names] of byGlobs) {
    const globs = JSON.parse(key) as string[];
    const bases = globs.map(globBase);
    const match = compileGlobs(globs);
    for (const p of others) {
      if (!p.name || !bases.some((b) => overlaps(b, p.root))) continue;
      const files = context.fileMap.projectFileMap[p.name] ?? [];
      if (!files.some((f) => match(f.file))) continue;
      for (const source of names) deps.push({ source, target: p.name, type: IMPLICIT });
    }
  }
  return deps;
}
