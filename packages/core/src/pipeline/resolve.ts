import { builtinCommandLabel } from '../domain/builtin-stage-names';
import type { Contract } from '../domain/contract';
import { invalid, valid, type Problem, type Validated } from '../domain/errors';
import type { Stage, StageInput, StageOverride } from '../domain/stage';
import type { ProjectProfile } from '../detect/types';
import { DEFAULT_TIMEOUT_SECONDS, standardPipeline, standardStageShape } from './standard';

interface Draft extends Omit<Stage, 'command' | 'needs'> {
  command?: string;
  needs: string[];
  /** Needs written by the contract author are checked; inherited ones are pruned silently. */
  explicitNeeds: boolean;
  /** A `pipeline:` entry with the author's own command (not detection's, not a built-in). */
  authored?: boolean;
  field: string;
}

function fromStandard(name: string, standard: Stage[]): Draft | undefined {
  const s = standard.find((x) => x.name === name);
  if (s) return { ...s, explicitNeeds: false, field: '' };
  const shape = standardStageShape(name);
  if (!shape) return undefined;
  return {
    name,
    description: shape.description,
    timeout_seconds: shape.timeout_seconds,
    required_success: shape.required_success,
    needs: [...shape.needs],
    explicitNeeds: false,
    field: '',
  };
}

function apply(base: Draft | undefined, name: string, o: StageInput | StageOverride, field: string): Draft {
  const d: Draft = base
    ? { ...base, field }
    : {
        name,
        description: '',
        timeout_seconds: DEFAULT_TIMEOUT_SECONDS,
        required_success: true,
        needs: [],
        explicitNeeds: true,
        field,
      };
  if (o.description !== undefined) d.description = o.description;
  if (o.command !== undefined) {
    // A command replaces a built-in stage of the same name, and what detection chose.
    d.command = o.command;
    for (const k of ['builtin', 'unavailable', 'tool', 'why', 'findings', 'coverage', 'fail_on_warnings', 'not_judged'] as const)
      delete d[k];
    if (d.scope !== undefined && d.name !== 'lint' && d.name !== 'format') delete d.scope;
    // A command of its own still feeds (unit-test) or gates (coverage) the coverage figure.
    if (d.name === 'unit-test') d.coverage = { parser: 'auto', gate: false };
    if (d.name === 'coverage') d.coverage = { parser: 'auto', gate: true };
  }
  if (o.builtin !== undefined) {
    delete d.authored;
    d.builtin = o.builtin;
    d.command = builtinCommandLabel(o.builtin);
    delete d.unavailable;
  }
  if (o.findings !== undefined) d.findings = o.findings;
  if (o.scope !== undefined) d.scope = o.scope;
  if (o.fail_on_warnings !== undefined) d.fail_on_warnings = o.fail_on_warnings;
  if (o.allow_no_tests !== undefined) d.allow_no_tests = o.allow_no_tests;
  if (o.timeout_seconds !== undefined) d.timeout_seconds = o.timeout_seconds;
  if (o.required_success !== undefined) d.required_success = o.required_success;
  if (o.needs !== undefined) {
    d.needs = [...o.needs];
    d.explicitNeeds = true;
  }
  if (o.working_directory !== undefined) d.working_directory = o.working_directory;
  if (o.env !== undefined) d.env = { ...d.env, ...o.env };
  if (o.coverage !== undefined) d.coverage = o.coverage;
  return d;
}

/** `needs`, with each stage missing from `names` replaced by what it needs in the standard pipeline. */
function presentNeeds(
  needs: readonly string[],
  names: ReadonlySet<string>,
  standard: readonly Stage[],
  seen = new Set<string>(),
): string[] {
  const out: string[] = [];
  for (const n of needs) {
    if (names.has(n)) out.push(n);
    else if (!seen.has(n)) {
      seen.add(n);
      out.push(...presentNeeds(standard.find((s) => s.name === n)?.needs ?? [], names, standard, seen));
    }
  }
  return [...new Set(out)];
}

/**
 * A coverage stage the project has no tool for is "not configured" (skipped) only while the
 * contract asks for no figure: with a floor it is a missing tool, red, since nothing measured
 * can never meet a floor.
 */
function floorNeedsCoverage(drafts: Draft[], floor: number): void {
  const d = drafts.find((x) => x.name === 'coverage');
  if (!d?.unavailable || d.unavailable.kind !== 'not-configured' || floor <= 0) return;
  d.unavailable = {
    kind: 'missing',
    message:
      `coverage: the contract requires ${floor}% and the project measures none (${d.unavailable.message}); ` +
      'add a coverage tool, give stages.coverage a command, or set required_test_coverage: 0',
  };
}

/**
 * The pipeline a contract asks for: the standard pipeline of its language, or its own
 * `pipeline`, with `stages` overrides applied. Checks that every stage has a command, that
 * needs name existing stages, and that there is no cycle. Stages come back in an order
 * where every stage follows what it needs.
 */
export function resolvePipeline(contract: Contract, file: string, profile: ProjectProfile): Validated<Stage[]> {
  const standard = standardPipeline(profile);
  const errors: Problem[] = [];
  let drafts: Draft[];
  if (contract.pipeline) {
    drafts = [];
    const seen = new Set<string>();
    contract.pipeline.forEach((entry, i) => {
      const field = `pipeline.${i}`;
      if (seen.has(entry.name)) {
        errors.push({ file, field: `${field}.name`, message: `expected a unique stage name, got "${entry.name}" twice` });
        return;
      }
      seen.add(entry.name);
      if (entry.command !== undefined && entry.builtin !== undefined) errors.push(bothProblem(file, field, entry.builtin));
      const d = apply(fromStandard(entry.name, standard), entry.name, entry, field);
      if (entry.command !== undefined) d.authored = true;
      drafts.push(d);
    });
  } else {
    drafts = standard.map((s) => ({ ...s, explicitNeeds: false, field: '' }));
  }

  for (const [name, o] of Object.entries(contract.stages)) {
    const field = `stages.${name}`;
    const i = drafts.findIndex((d) => d.name === name);
    if (o.command !== undefined && o.builtin !== undefined) errors.push(bothProblem(file, field, o.builtin));
    if (o.enabled === false) {
      if (i >= 0) {
        const removed = drafts[i];
        drafts.splice(i, 1);
        for (const d of drafts) {
          if (d.needs.includes(name)) d.needs = [...new Set(d.needs.flatMap((n) => (n === name ? removed.needs : [n])))];
        }
      }
      continue;
    }
    if (i >= 0) drafts[i] = apply(drafts[i], name, o, field);
    else drafts.push(apply(fromStandard(name, standard), name, o, field));
  }

  if (!drafts.length && !errors.length) {
    // An empty pipeline checks nothing: it would be "green" at once, and approval refuses it anyway.
    return invalid([
      contract.pipeline?.length === 0
        ? {
            file,
            field: 'pipeline',
            message: 'expected at least one stage, got an empty list; remove `pipeline:` to use the standard pipeline',
          }
        : { file, field: 'stages', message: 'expected at least one stage left enabled, got none (every stage has enabled: false)' },
    ]);
  }
  const names = new Set(drafts.map((d) => d.name));
  for (const d of drafts) {
    const where = d.field || `stages.${d.name}`;
    if (!d.command) {
      errors.push({
        file,
        field: `${where}.command`,
        message: `expected a command (there is no standard "${d.name}" stage for ${contract.language}), got nothing`,
      });
    }
    if (d.explicitNeeds && d.needs.includes(d.name)) {
      errors.push({ file, field: `${where}.needs`, message: `expected the stages "${d.name}" runs after, got "${d.name}" itself` });
    }
    const missing = d.needs.filter((n) => !names.has(n) && n !== d.name);
    if (missing.length && d.explicitNeeds) {
      errors.push({
        file,
        field: `${where}.needs`,
        message: `expected names of stages in this pipeline (${[...names].join(', ')}), got ${missing.map((m) => JSON.stringify(m)).join(', ')}`,
      });
    }
    // A standard stage's needs that this pipeline lacks stand for what those needed (review
    // after coverage → after unit-test when there is no coverage stage), so the order holds.
    d.needs = d.explicitNeeds
      ? d.needs.filter((n) => names.has(n) && n !== d.name)
      : presentNeeds(d.needs, names, standard).filter((n) => n !== d.name);
  }
  if (errors.length) return invalid(errors);
  floorNeedsCoverage(drafts, contract.required_test_coverage);
  // A pipeline the author wrote runs its commands where the author's paths start, the workspace
  // root, unless the stage or the contract names a working_directory. Detected commands, and a
  // `stages:` override of one (which changes the command, not where it runs), run in the project.
  if (contract.working_directory === undefined) for (const d of drafts) if (d.authored) d.working_directory ??= '.';

  const ordered = topologicalOrder(drafts);
  if (!ordered.ok) return invalid([{ file, field: 'pipeline', message: ordered.error }]);
  return valid(ordered.value.map(({ explicitNeeds: _e, field: _f, authored: _a, ...s }) => ({ ...s, command: s.command as string })));
}

function bothProblem(file: string, field: string, builtin: string): Problem {
  return {
    file,
    field: `${field}.builtin`,
    message: `expected either a command or a built-in stage, got both (builtin "${builtin}" and a command); drop one`,
  };
}

function topologicalOrder<T extends { name: string; needs: string[] }>(
  items: T[],
): { ok: true; value: T[] } | { ok: false; error: string } {
  const byName = new Map(items.map((s) => [s.name, s]));
  const state = new Map<string, 'visiting' | 'done'>();
  const out: T[] = [];
  const visit = (s: T, path: string[]): string | undefined => {
    const st = state.get(s.name);
    if (st === 'done') return undefined;
    if (st === 'visiting') {
      const cycle = [...path.slice(path.indexOf(s.name)), s.name].join(' → ');
      return `expected stages without circular needs, got the cycle ${cycle}`;
    }
    state.set(s.name, 'visiting');
    for (const n of s.needs) {
      const dep = byName.get(n);
      const e = dep && visit(dep, [...path, s.name]);
      if (e) return e;
    }
    state.set(s.name, 'done');
    out.push(s);
    return undefined;
  };
  for (const s of items) {
    const e = visit(s, []);
    if (e) return { ok: false, error: e };
  }
  return { ok: true, value: out };
}
