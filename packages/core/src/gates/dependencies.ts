import { z } from 'zod';
import type { Problem } from '../domain/errors';
import type { ManifestChange } from './changes';
import { readCargoToml } from './manifest-cargo';
import { readGoMod } from './manifest-go';
import { readPackageJson } from './manifest-npm';
import { isRequirementsFile, readPyproject, readRequirementsTxt } from './manifest-python';
import {
  EcosystemSchema,
  problem,
  redactUrlCredentials,
  type DeclaredDependency,
  type Ecosystem,
  type ManifestReader,
  type ParsedManifest,
} from './manifest-types';

/**
 * A dependency that appeared (`after` only), disappeared (`before` only) or changed (both)
 * in one manifest. `section` is the manifest's section; `a → b` when it moved between sections.
 * Version specs have URL credentials replaced by `***`.
 */
export const DependencyChangeSchema = z.object({
  ecosystem: EcosystemSchema,
  name: z.string(),
  file: z.string(),
  section: z.string(),
  before: z.string().optional(),
  after: z.string().optional(),
});
export type DependencyChange = z.infer<typeof DependencyChangeSchema>;

export interface DependencyChanges {
  added: DependencyChange[];
  removed: DependencyChange[];
  changed: DependencyChange[];
  problems: Problem[];
}

export interface ManifestKind {
  ecosystem: Ecosystem;
  read: ManifestReader;
}

const BY_NAME: Record<string, ManifestKind> = {
  'package.json': { ecosystem: 'npm', read: readPackageJson },
  'go.mod': { ecosystem: 'go', read: readGoMod },
  'Cargo.toml': { ecosystem: 'cargo', read: readCargoToml },
  'pyproject.toml': { ecosystem: 'python', read: readPyproject },
};
const REQUIREMENTS: ManifestKind = { ecosystem: 'python', read: readRequirementsTxt };

/** The manifest kind of a path, recognised by its file name at any depth. */
export function manifestKind(path: string): ManifestKind | undefined {
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  return Object.hasOwn(BY_NAME, base) ? BY_NAME[base] : isRequirementsFile(path) ? REQUIREMENTS : undefined;
}

/** True for package.json, go.mod, Cargo.toml, pyproject.toml and requirements*.txt / *.in. */
export function isManifest(path: string): boolean {
  return manifestKind(path) !== undefined;
}

const BASE = 'at the base commit: ';
const EMPTY: ParsedManifest = { dependencies: [], problems: [] };

function byName(deps: DeclaredDependency[]): Map<string, { section: string; spec: string }> {
  const groups = new Map<string, DeclaredDependency[]>();
  for (const d of deps) {
    const list = groups.get(d.name);
    if (list) list.push(d);
    else groups.set(d.name, [d]);
  }
  const out = new Map<string, { section: string; spec: string }>();
  for (const [name, list] of groups) {
    out.set(name, {
      section: [...new Set(list.map((d) => d.section))].join(', '),
      spec: [...new Set(list.map((d) => d.spec))].join(', '),
    });
  }
  return out;
}

/**
 * Compares a manifest's two versions. Also returns `unresolved`: problems of the current
 * version that the base version did not have, i.e. places where a new dependency may hide.
 */
export function examineManifest(change: ManifestChange): DependencyChanges & { unresolved: Problem[] } {
  const result: DependencyChanges & { unresolved: Problem[] } = { added: [], removed: [], changed: [], problems: [], unresolved: [] };
  const kind = manifestKind(change.path);
  if (!kind) {
    const p = problem(
      change.path,
      '(document)',
      'expected a dependency manifest (package.json, go.mod, Cargo.toml, pyproject.toml, requirements*.txt), got a file Factory does not read',
    );
    return { ...result, problems: [p] };
  }
  const before = change.before === undefined ? EMPTY : kind.read(change.path, change.before);
  const after = change.after === undefined ? EMPTY : kind.read(change.path, change.after);
  const seen = new Set(before.problems.map((p) => p.message));
  result.unresolved = after.problems.filter((p) => !seen.has(p.message));
  result.problems = [...before.problems.map((p) => ({ ...p, message: BASE + p.message })), ...after.problems];
  if (!before.dependencies || !after.dependencies) return result;

  const make = (name: string, section: string, b?: string, a?: string): DependencyChange => ({
    ecosystem: kind.ecosystem,
    name,
    file: change.path,
    section,
    ...(b === undefined ? {} : { before: redactUrlCredentials(b) }),
    ...(a === undefined ? {} : { after: redactUrlCredentials(a) }),
  });
  const was = byName(before.dependencies);
  const now = byName(after.dependencies);
  for (const [name, n] of now) {
    const w = was.get(name);
    if (!w) result.added.push(make(name, n.section, undefined, n.spec));
    else if (w.section !== n.section || w.spec !== n.spec) {
      result.changed.push(make(name, w.section === n.section ? n.section : `${w.section} → ${n.section}`, w.spec, n.spec));
    }
  }
  for (const [name, w] of was) if (!now.has(name)) result.removed.push(make(name, w.section, w.spec));
  return result;
}

/**
 * The dependencies a manifest change adds, removes and changes. A dependency that moves
 * between sections or changes version is `changed`, not added. A manifest that cannot be
 * parsed yields a Problem naming the file, and no dependencies from the unreadable side.
 */
export function detectDependencyChanges(change: ManifestChange): DependencyChanges {
  const { added, removed, changed, problems } = examineManifest(change);
  return { added, removed, changed, problems };
}
