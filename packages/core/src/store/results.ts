import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Problem } from '../domain/errors';
import { StageResultSchema, type StageResult, type TaskResult } from '../domain/results';
import type { Stage } from '../domain/stage';
import { parseWith } from '../domain/zod-problems';
import { readTextIfExists } from './atomic';
import { stageResultFiles, taskPaths } from './paths';

/** The last recorded result of one stage, undefined when it has not run (or its file is unreadable). */
export function readStageResult(root: string, slug: string, stage: string): { result?: StageResult; problems: Problem[] } {
  const file = stageResultFiles(slug, stage).json;
  const text = readTextIfExists(path.join(root, file));
  if (text === undefined) return { problems: [] };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { problems: [{ file, field: '(document)', message: `expected JSON: ${(e as Error).message}` }] };
  }
  const r = parseWith(StageResultSchema, data, file);
  return { result: r.value, problems: r.errors };
}

/** Names of the stages that have a result file. */
export function stagesWithResults(root: string, slug: string): string[] {
  try {
    return readdirSync(path.join(root, taskPaths(slug).results))
      .map((f) => /^stage-(.+)\.json$/.exec(f)?.[1])
      .filter((n): n is string => Boolean(n))
      .sort();
  } catch {
    return [];
  }
}

/**
 * The seed's TaskResult, from the stage results on disk: `success` when every required stage
 * has a passing result, `failure` when one failed, `incomplete` when some have not run.
 */
export function aggregateTaskResult(slug: string, pipeline: readonly Stage[], results: Map<string, StageResult>): TaskResult {
  const stages = pipeline.map((s) => results.get(s.name)).filter((r): r is StageResult => Boolean(r));
  const errors: string[] = [];
  let missing = false;
  for (const s of pipeline) {
    const r = results.get(s.name);
    if (!r) missing ||= s.required_success;
    else if (r.status === 'failure') errors.push(`${s.name}: ${r.summary}`);
  }
  const requiredFailed = pipeline.some((s) => s.required_success && results.get(s.name)?.status === 'failure');
  const metrics: TaskResult['metrics'] = {};
  for (const r of stages) for (const [k, v] of Object.entries(r.metrics)) metrics[k] = v;
  return {
    slug,
    stages,
    overall_status: requiredFailed ? 'failure' : missing ? 'incomplete' : 'success',
    total_duration_ms: stages.reduce((n, r) => n + r.duration_ms, 0),
    metrics,
    errors,
  };
}
