import { describeValue } from '../domain/zod-problems';
import type { Problem } from '../domain/errors';
import { isRecord, parseToml, problem, type DeclaredDependency, type ParsedManifest } from './manifest-types';

/** Cargo also accepts the old underscore spellings. */
const KINDS = ['dependencies', 'dev-dependencies', 'build-dependencies', 'dev_dependencies', 'build_dependencies'];

function cargoSpec(t: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof t.version === 'string') parts.push(t.version);
  if (typeof t.git === 'string') {
    const ref = [t.branch, t.tag, t.rev].find((r) => typeof r === 'string');
    parts.push(`git:${t.git}${ref === undefined ? '' : `#${String(ref)}`}`);
  }
  if (typeof t.path === 'string') parts.push(`path:${t.path}`);
  if (t.workspace === true) parts.push('workspace');
  if (typeof t.registry === 'string') parts.push(`registry:${t.registry}`);
  return parts.length > 0 ? parts.join(' ') : '*';
}

/**
 * Reads a `Cargo.toml`: [dependencies], [dev-dependencies], [build-dependencies],
 * [target.'cfg(…)'.*] and [workspace.dependencies], in string, inline-table, table and
 * dotted-key forms. A renamed dependency (`package = "…"`) is named by its real crate.
 */
export function readCargoToml(file: string, text: string): ParsedManifest {
  const { doc, problem: bad } = parseToml(file, text);
  if (!doc) return { problems: [bad as Problem] };
  const dependencies: DeclaredDependency[] = [];
  const problems: Problem[] = [];

  const read = (section: string, table: unknown) => {
    if (table === undefined) return;
    if (!isRecord(table)) {
      problems.push(problem(file, section, `expected a table of crates, got ${describeValue(table)}`));
      return;
    }
    for (const [key, v] of Object.entries(table)) {
      if (typeof v === 'string') dependencies.push({ name: key, section, spec: v });
      else if (isRecord(v)) {
        const name = typeof v.package === 'string' ? v.package : key;
        dependencies.push({ name, section, spec: cargoSpec(v) });
      } else {
        problems.push(problem(file, `${section}.${key}`, `expected a version string or a table, got ${describeValue(v)}`));
      }
    }
  };

  for (const kind of KINDS) read(kind, doc[kind]);
  if (isRecord(doc.workspace)) read('workspace.dependencies', doc.workspace.dependencies);
  if (isRecord(doc.target)) {
    for (const [cfg, t] of Object.entries(doc.target)) {
      if (isRecord(t)) for (const kind of KINDS) read(`target.'${cfg}'.${kind}`, t[kind]);
    }
  }
  return { dependencies, problems };
}
