import { describeValue } from '../domain/zod-problems';
import type { Problem } from '../domain/errors';
import { isRecord, problem, type DeclaredDependency, type ParsedManifest } from './manifest-types';

export const NPM_SECTIONS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'] as const;

/** Reads the dependency sections of a `package.json`. */
export function readPackageJson(file: string, text: string): ParsedManifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { problems: [problem(file, '(document)', `expected JSON, but it cannot be parsed: ${(e as Error).message}`)] };
  }
  if (!isRecord(data)) {
    return { problems: [problem(file, '(document)', `expected a JSON object, got ${describeValue(data)}`)] };
  }
  const dependencies: DeclaredDependency[] = [];
  const problems: Problem[] = [];
  for (const section of NPM_SECTIONS) {
    const table = data[section];
    if (table === undefined) continue;
    if (!isRecord(table)) {
      problems.push(problem(file, section, `expected a mapping of package names to versions, got ${describeValue(table)}`));
      continue;
    }
    for (const [name, spec] of Object.entries(table)) {
      if (typeof spec === 'string') dependencies.push({ name, section, spec });
      else problems.push(problem(file, `${section}.${name}`, `expected a version string, got ${describeValue(spec)}`));
    }
  }
  return { dependencies, problems };
}
