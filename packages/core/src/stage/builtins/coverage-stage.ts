import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { StageResult } from '../../domain/results';
import { stageResultFiles } from '../../store/paths';
import type { BuiltinStageHandler } from '../builtin-stage';

/** The stage whose run measures coverage (the standard pipeline's coverage stage needs it). */
export const COVERAGE_SOURCE_STAGE = 'unit-test';

/**
 * The `coverage` stage of the standard pipeline: the unit-test run measured coverage with the
 * project's own tool (so the tests run once); this checks its figure against the contract's
 * `required_test_coverage`. A figure that could not be read is never green; a project without a
 * coverage tool is "not configured" (skipped) unless the contract asks for a floor, which then
 * cannot be checked and fails.
 */
export const coverageStage: BuiltinStageHandler = async (run) => {
  const floor = run.invocation.required_test_coverage;
  const file = stageResultFiles(run.invocation.slug, COVERAGE_SOURCE_STAGE).json;
  let source: Partial<StageResult>;
  try {
    source = JSON.parse(readFileSync(path.join(run.root, file), 'utf8')) as Partial<StageResult>;
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (e as Error).message.split('\n')[0];
    return {
      ok: false,
      summary: `no coverage figure: ${file} could not be read (${why}); run nx run ${run.invocation.slug}:stage-${COVERAGE_SOURCE_STAGE}`,
    };
  }
  const figure = source.metrics?.coverage_percent;
  const unavailable = source.metrics?.coverage_unavailable;
  const metrics: Record<string, number> = {
    required_test_coverage: floor,
    ...(typeof figure === 'number' ? { coverage_percent: figure } : {}),
  };
  if (typeof figure === 'number') {
    run.log(`coverage ${figure}% measured by stage ${COVERAGE_SOURCE_STAGE}; the contract requires ${floor}%\n`);
    if (figure < floor)
      return { ok: false, summary: `coverage ${figure}% is under the contract's required_test_coverage of ${floor}%`, metrics };
    return { ok: true, summary: `coverage ${figure}% (required ${floor}%)`, metrics };
  }
  if (typeof unavailable === 'string') {
    if (floor > 0)
      return { ok: false, summary: `the contract requires ${floor}% coverage, but none was measured: ${unavailable}`, metrics };
    return { ok: true, skipped: true, summary: `not configured: ${unavailable}`, metrics };
  }
  if (source.status !== 'success') {
    return {
      ok: false,
      summary: `no coverage figure: stage ${COVERAGE_SOURCE_STAGE} did not pass (${source.status ?? 'no status'})`,
      metrics,
    };
  }
  return {
    ok: false,
    summary: `no coverage figure: stage ${COVERAGE_SOURCE_STAGE}'s output had no total the ${String(source.metrics?.coverage_parser ?? 'coverage')} reader recognises (see ${source.log_file ?? 'its log'})`,
    metrics,
  };
};
