import { toYaml } from '@factory/core';
import type { NormalizedTaskOptions } from './normalize';

const field = (key: string, value: unknown) => toYaml({ [key]: value });

/** task.yaml: what the task is (part of every stage's cache key, so nothing here changes by itself). */
export function taskYaml(o: NormalizedTaskOptions, now: Date): string {
  return toYaml({
    slug: o.slug,
    title: o.title,
    description: o.description,
    created_at: now.toISOString(),
    ...(o.baseCommit ? { base_commit: o.baseCommit } : {}),
    ...(o.beadsId ? { beads_id: o.beadsId } : {}),
    ...(o.acceptance ? { acceptance: o.acceptance } : {}),
  });
}

/** contract.yaml, with a comment per field; unset fields fall back to .factory/contract.yaml. */
export function contractYaml(o: NormalizedTaskOptions): string {
  const parts = [
    `# Contract of task ${o.slug}. Fields left out come from .factory/contract.yaml.`,
    "# The pipeline is the standard one, with the project's own tools (see: nx show project <slug>);",
    '# add `pipeline:` to replace it, `stages: { <name>: { command: ... } }` to change or add stages,',
    '# `working_directory:` to run stages elsewhere than the directory of the manifest found.',
    field('language', o.language),
    '# Files the task may change (globs from the workspace root).',
    field('allowed_files', o.allowedFiles),
  ];
  if (o.workingDirectory)
    parts.push(
      '# Where the stages run (--directory): the allowed files alone reach beyond its project.',
      field('working_directory', o.workingDirectory),
    );
  if (o.forbiddenFiles) parts.push('# Files it must not change.', field('forbidden_files', o.forbiddenFiles));
  if (o.maxLinesChanged !== undefined) parts.push(field('max_lines_changed', o.maxLinesChanged));
  if (o.requiredTestCoverage !== undefined) parts.push(field('required_test_coverage', o.requiredTestCoverage));
  if (o.newDependenciesAllowed !== undefined) parts.push(field('new_dependencies_allowed', o.newDependenciesAllowed));
  return parts.join('\n').replace(/\n+$/, '\n');
}
