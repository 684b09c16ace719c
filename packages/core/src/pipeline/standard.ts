import { builtinCommandLabel, type BuiltinStageName } from '../domain/builtin-stage-names';
import type { Stage } from '../domain/stage';
import type { PlannedTool, ProjectProfile, ToolSlot } from '../detect/types';
import { TOOLCHAINS } from './toolchains';

export const DEFAULT_TIMEOUT_SECONDS = 600;

type StandardStageName = ToolSlot | BuiltinStageName | 'integration-test' | 'e2e';

interface StandardStageShape {
  name: StandardStageName;
  description: string;
  needs: StandardStageName[];
  timeout_seconds: number;
  required_success: boolean;
  /** Implemented by Factory for every language (no toolchain command). */
  builtin?: BuiltinStageName;
}

/**
 * The standard stages in pipeline order, and what each needs (the Nx task graph). A stage needs
 * another only when it uses that one's output: coverage reads the figure the unit-test run
 * measured; the review comes last, since a change that does not build, test or keep its contract
 * is not worth a model's review. Everything else runs side by side.
 */
export const STANDARD_STAGES: readonly StandardStageShape[] = [
  { name: 'implement', description: 'Compile / type-check the code', needs: [], timeout_seconds: 600, required_success: true },
  {
    name: 'unit-test',
    description: 'Run the unit tests (measuring coverage where the project can)',
    needs: [],
    timeout_seconds: 900,
    required_success: true,
  },
  {
    name: 'coverage',
    description: "Check the unit-test run's coverage against required_test_coverage",
    needs: ['unit-test'],
    timeout_seconds: 60,
    required_success: true,
    builtin: 'coverage',
  },
  { name: 'lint', description: "Run the project's linter on the change", needs: [], timeout_seconds: 600, required_success: true },
  { name: 'format', description: "Check the change's formatting", needs: [], timeout_seconds: 300, required_success: true },
  {
    name: 'contract',
    description: 'Check the changes against the contract: files, line budget, new dependencies',
    needs: [],
    timeout_seconds: 300,
    required_success: true,
    builtin: 'contract',
  },
  {
    name: 'security',
    description: 'Scan the added lines for secrets',
    needs: [],
    timeout_seconds: 300,
    required_success: true,
    builtin: 'security',
  },
  { name: 'integration-test', description: 'Run the integration tests', needs: [], timeout_seconds: 1800, required_success: true },
  { name: 'e2e', description: 'Run the end-to-end tests', needs: [], timeout_seconds: 3600, required_success: true },
  {
    name: 'review',
    description: 'Review the diff against the spec and contract with the configured LLM (not run without one)',
    needs: ['implement', 'coverage', 'lint', 'format', 'contract', 'security', 'integration-test', 'e2e'],
    timeout_seconds: 600,
    required_success: true,
    builtin: 'review',
  },
];

const SLOTS = new Set<string>(['implement', 'unit-test', 'coverage', 'lint', 'format', 'integration-test']);

/** A stage for a tool the project lacks: it records why instead of running. */
const unavailableStage = (t: PlannedTool): Partial<Stage> => ({
  command: `(${t.missing ? 'missing' : 'not configured'}: ${t.tool})`,
  unavailable: t.missing ? { kind: 'missing', message: t.missing } : { kind: 'not-configured', message: t.notConfigured ?? t.why },
});

/** What detection says a tool stage runs (undefined: the language has no such stage). */
export function fromTool(name: string, profile: ProjectProfile): Partial<Stage> | undefined {
  const tools = profile.tools;
  if (name === 'coverage') {
    const test = tools['unit-test'];
    if (test?.command && test.coverage)
      return { builtin: 'coverage', command: builtinCommandLabel('coverage'), tool: tools.coverage?.tool, why: tools.coverage?.why };
    const c = tools.coverage;
    return c ? { ...unavailableStage(c), tool: c.tool, why: c.why } : undefined;
  }
  const t = tools[name as ToolSlot];
  if (!t) return undefined;
  const base: Partial<Stage> = { tool: t.tool, why: t.why };
  if (!t.command) return { ...base, ...unavailableStage(t) };
  return {
    ...base,
    command: t.command,
    ...(t.coverage ? { coverage: { parser: t.coverage.parser, gate: false } } : {}),
    ...(t.findings ? { findings: t.findings, scope: 'change' as const } : {}),
    ...(t.warningsPass ? { fail_on_warnings: false } : {}),
    ...(t.notJudged ? { not_judged: t.notJudged } : {}),
  };
}

/**
 * The seed's `standard_pipeline`, for a detected project: the built-in stages, and the stages
 * whose tool the project has (or lacks, saying so: see `unavailable`). A stage with no tool for
 * the language at all (e.g. `e2e`) is left out rather than faked; a contract adds it with its own
 * command. Needs on left-out stages are rewired to what those stages needed, so the order holds.
 */
export function standardPipeline(profile: ProjectProfile): Stage[] {
  const extra = TOOLCHAINS[profile.language].commands;
  const planned = new Map<string, Partial<Stage>>();
  for (const s of STANDARD_STAGES) {
    const p =
      s.builtin && s.name !== 'coverage'
        ? { builtin: s.builtin, command: builtinCommandLabel(s.builtin) }
        : SLOTS.has(s.name) && (s.name !== 'integration-test' || profile.tools['integration-test'])
          ? fromTool(s.name, profile)
          : extra[s.name as 'integration-test' | 'e2e']
            ? { command: extra[s.name as 'integration-test' | 'e2e'] }
            : undefined;
    if (p) planned.set(s.name, p);
  }
  const byName = new Map(STANDARD_STAGES.map((s) => [s.name, s]));
  const resolveNeeds = (needs: readonly StandardStageName[]): string[] => {
    const out: string[] = [];
    for (const n of needs) {
      if (planned.has(n)) out.push(n);
      else out.push(...resolveNeeds(byName.get(n)?.needs ?? []));
    }
    return [...new Set(out)];
  };
  return STANDARD_STAGES.filter((s) => planned.has(s.name)).map((s) => ({
    name: s.name,
    description: s.description,
    timeout_seconds: s.timeout_seconds,
    required_success: s.required_success,
    needs: resolveNeeds(s.needs),
    ...(planned.get(s.name) as Partial<Stage> & { command: string }),
  }));
}

/** The standard stage of this name (any language), for stages a contract names but does not spell out. */
export function standardStageShape(name: string): StandardStageShape | undefined {
  return STANDARD_STAGES.find((s) => s.name === name);
}

/**
 * The stages a stage's Nx target waits for: what it needs, except that a review asking no model
 * (no `llm:` section in config.yaml) waits for nothing. It then only records why it did not run,
 * reading no other stage's result; it comes last only to spare a model a change that does not
 * build or test.
 */
export function targetNeeds(stage: { builtin?: string; needs: readonly string[] }, llmConfigured: boolean): readonly string[] {
  return stage.builtin === 'review' && !llmConfigured ? [] : stage.needs;
}
