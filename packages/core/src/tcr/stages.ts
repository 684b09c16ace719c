import { FactoryError } from '../domain/errors';
import type { Stage } from '../domain/stage';

/**
 * The stages a TCR cycle runs, in pipeline order: the test stages, and before them every stage
 * they need and the pipeline's `implement` stage with what it needs (the build: a test runner
 * that does not type-check, vitest say, passed code tsc refuses, and TCR committed it). A failing
 * build stage is "build failed", a failing test stage "tests failed". Pure.
 */
const BUILD_STAGE = 'implement';

export function tcrStages(
  pipeline: readonly Stage[],
  testNames: readonly string[],
  file = 'contract.yaml',
): { build: Stage[]; tests: Stage[] } {
  const byName = new Map(pipeline.map((s) => [s.name, s]));
  for (const n of testNames) {
    if (!byName.has(n)) {
      throw new FactoryError(
        'CONFIG',
        `TCR's test stage "${n}" is not in the task's pipeline (it has ${pipeline.map((s) => s.name).join(', ') || 'no stages'}); set tcr.stages in .factory/config.yaml or --stages`,
        { file, field: 'tcr.stages' },
      );
    }
  }
  const tests = new Set(testNames);
  const needed = new Set<string>();
  const visit = (name: string) => {
    for (const n of byName.get(name)?.needs ?? []) {
      if (needed.has(n)) continue;
      needed.add(n);
      visit(n);
    }
  };
  testNames.forEach(visit);
  if (byName.has(BUILD_STAGE) && !tests.has(BUILD_STAGE)) {
    needed.add(BUILD_STAGE);
    visit(BUILD_STAGE);
  }
  return {
    build: pipeline.filter((s) => needed.has(s.name) && !tests.has(s.name)),
    tests: pipeline.filter((s) => tests.has(s.name)),
  };
}
