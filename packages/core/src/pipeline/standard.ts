import { builtinCommandLabel, type BuiltinStageName } from '../domain/builtin-stages';
import type { Language } from '../domain/language';
import type { Stage } from '../domain/stage';
import { TOOLCHAINS, type StandardCommandStage } from './toolchains';

type StandardStageName = StandardCommandStage | BuiltinStageName;

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
 * The standard stages in pipeline order, and what each needs (the Nx task graph):
 * implement → unit-test → coverage, and unit-test → integration-test → e2e; lint, format,
 * contract and security need nothing, so Nx runs them beside the others; review needs them all.
 */
export const STANDARD_STAGES: readonly StandardStageShape[] = [
  { name: 'implement', description: 'Compile / type-check the code', needs: [], timeout_seconds: 600, required_success: true },
  { name: 'unit-test', description: 'Run the unit tests', needs: ['implement'], timeout_seconds: 900, required_success: true },
  {
    name: 'coverage',
    description: 'Measure test coverage against required_test_coverage',
    needs: ['unit-test'],
    timeout_seconds: 900,
    required_success: true,
  },
  { name: 'lint', description: 'Run the linter', needs: [], timeout_seconds: 600, required_success: true },
  { name: 'format', description: 'Check formatting', needs: [], timeout_seconds: 300, required_success: true },
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
  {
    name: 'integration-test',
    description: 'Run the integration tests',
    needs: ['unit-test'],
    timeout_seconds: 1800,
    required_success: true,
  },
  { name: 'e2e', description: 'Run the end-to-end tests', needs: ['integration-test'], timeout_seconds: 3600, required_success: true },
  {
    name: 'review',
    description: 'Review the diff against the spec and contract with the configured LLM (not run without one)',
    // Last: a change that does not build, test or keep its contract is not worth a model's review.
    needs: ['coverage', 'lint', 'format', 'contract', 'security', 'e2e'],
    timeout_seconds: 600,
    required_success: true,
    builtin: 'review',
  },
];

const commandOf = (s: StandardStageShape, language: Language): string | undefined =>
  s.builtin ? builtinCommandLabel(s.builtin) : TOOLCHAINS[language].commands[s.name as StandardCommandStage];

/**
 * The seed's `standard_pipeline`, for one language: the built-in stages, and the standard
 * stages the language has a command for. A stage with no command for the language (e.g.
 * `e2e`) is left out rather than faked; a contract adds it with its own command. Needs on
 * left-out stages are rewired to what those stages needed, so the order holds.
 */
export function standardPipeline(language: Language): Stage[] {
  const tc = TOOLCHAINS[language];
  const present = new Set(STANDARD_STAGES.filter((s) => commandOf(s, language)).map((s) => s.name));
  const byName = new Map(STANDARD_STAGES.map((s) => [s.name, s]));
  const resolveNeeds = (needs: readonly StandardStageName[]): string[] => {
    const out: string[] = [];
    for (const n of needs) {
      if (present.has(n)) out.push(n);
      else out.push(...resolveNeeds(byName.get(n)?.needs ?? []));
    }
    return [...new Set(out)];
  };
  return STANDARD_STAGES.filter((s) => present.has(s.name)).map((s) => ({
    name: s.name,
    description: s.description,
    command: commandOf(s, language) as string,
    timeout_seconds: s.timeout_seconds,
    required_success: s.required_success,
    needs: resolveNeeds(s.needs),
    ...(s.name === 'coverage' ? { coverage: { parser: tc.coverageParser, gate: true } } : {}),
    ...(s.builtin ? { builtin: s.builtin } : {}),
  }));
}

/** The standard stage of this name (any language), for stages a contract names but does not spell out. */
export function standardStageShape(name: string): StandardStageShape | undefined {
  return STANDARD_STAGES.find((s) => s.name === name);
}
