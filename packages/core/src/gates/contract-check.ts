import { z } from 'zod';
import type { Contract } from '../domain/contract';
import { formatProblem, type Problem } from '../domain/errors';
import type { ChangedFile, ManifestChange } from './changes';
import { DependencyChangeSchema, examineManifest, type DependencyChange } from './dependencies';
import { compileGlobSet } from './glob-set';
import { countLines, DEFAULT_LINE_BUDGET_EXCLUDE } from './line-budget';

export const ContractRuleSchema = z.enum(['allowed_files', 'forbidden_files', 'max_lines_changed', 'new_dependencies', 'tests_disabled']);
export type ContractRule = z.infer<typeof ContractRuleSchema>;

/** One broken contract rule. `message` is one sentence: `file: rule: what was found`. */
export const ViolationSchema = z.object({
  rule: ContractRuleSchema,
  file: z.string().optional(),
  line: z.number().optional(),
  glob: z.string().optional(),
  limit: z.number().optional(),
  actual: z.number().optional(),
  message: z.string(),
});
export type Violation = z.infer<typeof ViolationSchema>;

export const ContractMetricsSchema = z.object({
  files_changed: z.number(),
  lines_added: z.number(),
  lines_removed: z.number(),
  lines_counted: z.number(),
  lines_excluded: z.number(),
  /** `ecosystem:name`, e.g. `npm:left-pad`. */
  dependencies_added: z.array(z.string()),
});
export type ContractMetrics = z.infer<typeof ContractMetricsSchema>;

export const ContractCheckSchema = z.object({
  violations: z.array(ViolationSchema),
  metrics: ContractMetricsSchema,
  dependencies: z.array(DependencyChangeSchema),
  warnings: z.array(z.string()),
});
export type ContractCheck = z.infer<typeof ContractCheckSchema>;

export type CheckedContract = Pick<
  Contract,
  'allowed_files' | 'forbidden_files' | 'max_lines_changed' | 'new_dependencies_allowed' | 'line_budget_exclude'
>;

const MAX_LISTED_GLOBS = 10;

function note(...parts: (string | undefined)[]): string {
  const kept = parts.filter((p): p is string => !!p);
  return kept.length > 0 ? ` (${kept.join('; ')})` : '';
}

function listGlobs(globs: readonly string[]): string {
  const shown = globs.slice(0, MAX_LISTED_GLOBS).map((g) => JSON.stringify(g));
  const more = globs.length - shown.length;
  return shown.join(', ') + (more > 0 ? ` and ${more} more` : '');
}

function checkPaths(contract: CheckedContract, changes: readonly ChangedFile[], setIn?: string): Violation[] {
  const allowed = compileGlobSet(contract.allowed_files).matches;
  const forbidden = compileGlobSet(contract.forbidden_files);
  const allowedText =
    contract.allowed_files.length === 0
      ? 'no file may change, because allowed_files is empty'
      : `matches none of the allowed globs ${listGlobs(contract.allowed_files)}`;
  const out: Violation[] = [];
  for (const c of changes) {
    const renamed = c.status === 'renamed' && c.oldPath !== undefined && c.oldPath !== c.path;
    const paths: [string, string | undefined][] = [
      [c.path, renamed ? `renamed from ${c.oldPath}` : c.status === 'deleted' ? 'deleted' : undefined],
    ];
    if (renamed) paths.push([c.oldPath as string, `renamed to ${c.path}`]);
    for (const [file, how] of paths) {
      const tail = note(how, setIn);
      if (!allowed(file)) {
        out.push({ rule: 'allowed_files', file, message: `${file}: allowed_files: ${allowedText}${tail}` });
      }
      const glob = forbidden.firstMatch(file);
      if (glob !== undefined) {
        out.push({ rule: 'forbidden_files', file, glob, message: `${file}: forbidden_files: matches forbidden glob "${glob}"${tail}` });
      }
    }
  }
  return out;
}

function explain(p: Problem): string {
  return p.field === '(document)' ? p.message : `${p.field}: ${p.message}`;
}

function checkDependencies(allowed: boolean, manifests: readonly ManifestChange[], setIn?: string) {
  const violations: Violation[] = [];
  const warnings: string[] = [];
  const dependencies: DependencyChange[] = [];
  const added: string[] = [];
  const tail = note(setIn);
  for (const m of manifests) {
    const r = examineManifest(m);
    dependencies.push(...r.added, ...r.changed, ...r.removed);
    added.push(...r.added.map((d) => `${d.ecosystem}:${d.name}`));
    const blocking = allowed ? new Set<Problem>() : new Set(r.unresolved);
    for (const d of allowed ? [] : r.added) {
      const what = `${d.ecosystem} package "${d.name}" (${d.section}${d.after === undefined ? '' : ` ${d.after}`})`;
      violations.push({
        rule: 'new_dependencies',
        file: d.file,
        message: `${d.file}: new_dependencies: adds ${what}, but new dependencies are not allowed${tail}`,
      });
    }
    for (const p of blocking) {
      violations.push({
        rule: 'new_dependencies',
        file: p.file,
        message: `${p.file}: new_dependencies: cannot rule out new dependencies, because ${explain(p)}${tail}`,
      });
    }
    for (const p of r.problems) if (!blocking.has(p)) warnings.push(formatProblem(p));
  }
  return { violations, warnings, dependencies, added };
}

/**
 * Checks a diff against a contract: every changed path (both sides of a rename) must match
 * an allowed glob and no forbidden glob; lines changed outside lockfiles and generated files
 * must stay within `max_lines_changed`; and unless `new_dependencies_allowed`, no manifest may
 * add a dependency. Pure: the caller passes the changed files and the manifests' contents.
 */
export function checkContract(
  contract: CheckedContract,
  changes: ChangedFile[],
  manifests: ManifestChange[],
  options: { contractFile?: string } = {},
): ContractCheck {
  const setIn = options.contractFile === undefined ? undefined : `set in ${options.contractFile}`;
  const violations = checkPaths(contract, changes, setIn);
  const warnings: string[] = [];
  if (contract.allowed_files.length === 0 && changes.length > 0) {
    warnings.push('allowed_files is empty, so every changed file is a violation; list the globs the task may change');
  }

  const count = countLines(changes, compileGlobSet([...DEFAULT_LINE_BUDGET_EXCLUDE, ...contract.line_budget_exclude]).matches);
  if (count.lines_counted > contract.max_lines_changed) {
    const largest = count.largest.map((l) => `${l.path} (${l.lines})`).join(', ');
    violations.push({
      rule: 'max_lines_changed',
      limit: contract.max_lines_changed,
      actual: count.lines_counted,
      message: `max_lines_changed: ${count.lines_counted} lines changed, more than the limit of ${contract.max_lines_changed}; largest: ${largest}${note(setIn)}`,
    });
  }

  const deps = checkDependencies(contract.new_dependencies_allowed, manifests, setIn);
  violations.push(...deps.violations);
  warnings.push(...deps.warnings);

  return {
    violations,
    metrics: {
      files_changed: new Set(changes.map((c) => c.path)).size,
      lines_added: count.lines_added,
      lines_removed: count.lines_removed,
      lines_counted: count.lines_counted,
      lines_excluded: count.lines_excluded,
      dependencies_added: [...new Set(deps.added)],
    },
    dependencies: deps.dependencies,
    warnings,
  };
}
