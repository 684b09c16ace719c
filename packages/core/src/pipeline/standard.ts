import type { Language } from '../domain/language';
import type { Stage } from '../domain/stage';
import { TOOLCHAINS, type StandardCommandStage } from './toolchains';

interface StandardStageShape {
  name: StandardCommandStage;
  description: string;
  needs: StandardCommandStage[];
  timeout_seconds: number;
  required_success: boolean;
}

/**
 * The standard stages in pipeline order, and what each needs (the Nx task graph):
 * implement → unit-test → coverage, and unit-test → integration-test → e2e; lint and
 * format need nothing, so Nx runs them beside the others.
 */
export const STANDARD_STAGES: readonly StandardStageShape[] = [
  { name: 'implement', description: 'Compile / type-check the code', needs: [], timeout_seconds: 600, required_success: true },
  { name: 'unit-test', description: 'Run the unit tests', needs: ['implement'], timeout_seconds: 900, required_success: true },
  {
    name: 'coverage',
    description: "Measure test coverage against the contract's required_test_coverage",
    needs: ['unit-test'],
    timeout_seconds: 900,
    required_success: true,
  },
  { name: 'lint', description: 'Run the linter', needs: [], timeout_seconds: 600, required_success: true },
  { name: 'format', description: 'Check formatting', needs: [], timeout_seconds: 300, required_success: true },
  {
    name: 'integration-test',
    description: 'Run the integration tests',
    needs: ['unit-test'],
    timeout_seconds: 1800,
    required_success: true,
  },
  { name: 'e2e', description: 'Run the end-to-end tests', needs: ['integration-test'], timeout_seconds: 3600, required_success: true },
];

/**
 * The seed's `standard_pipeline`, for one language: the standard stages the language has a
 * command for. A stage with no command for the language (e.g. `e2e`) is left out rather
 * than faked; a contract adds it with its own command. Needs on left-out stages are
 * rewired to what those stages needed, so the order holds.
 */
export function standardPipeline(language: Language): Stage[] {
  const tc = TOOLCHAINS[language];
  const present = new Set(STANDARD_STAGES.filter((s) => tc.commands[s.name]).map((s) => s.name));
  const byName = new Map(STANDARD_STAGES.map((s) => [s.name, s]));
  const resolveNeeds = (needs: readonly StandardCommandStage[]): string[] => {
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
    command: tc.commands[s.name] as string,
    timeout_seconds: s.timeout_seconds,
    required_success: s.required_success,
    needs: resolveNeeds(s.needs),
    ...(s.name === 'coverage' ? { coverage: { parser: tc.coverageParser, gate: true } } : {}),
  }));
}

/** The standard stage of this name (any language), for stages a contract names but does not spell out. */
export function standardStageShape(name: string): StandardStageShape | undefined {
  return STANDARD_STAGES.find((s) => s.name === name);
}
