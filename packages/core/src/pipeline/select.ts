import { err, ok, type Result } from '../domain/errors';
import type { Stage } from '../domain/stage';

/** The seed's `get_stage`: a stage by name, or an error listing the pipeline's stages. */
export function getStage(name: string, pipeline: readonly Stage[]): Result<Stage> {
  const s = pipeline.find((x) => x.name === name);
  return s ? ok(s) : err(`no stage "${name}" in this pipeline; its stages are: ${pipeline.map((x) => x.name).join(', ')}`);
}

/**
 * The seed's `filter_stages(from, to)`: the stages from `from` to `to`, inclusive, in
 * pipeline order. Errors when either is unknown or `from` comes after `to`.
 */
export function filterStages(from: string, to: string, pipeline: readonly Stage[]): Result<Stage[]> {
  for (const name of [from, to]) {
    const r = getStage(name, pipeline);
    if (!r.ok) return r;
  }
  const a = pipeline.findIndex((s) => s.name === from);
  const b = pipeline.findIndex((s) => s.name === to);
  if (a > b) return err(`stage "${from}" comes after "${to}" in this pipeline`);
  return ok(pipeline.slice(a, b + 1));
}

/** The seed's `stage_requires_success`. */
export function stageRequiresSuccess(stage: Stage): boolean {
  return stage.required_success;
}

/** Every stage `name` needs, directly or transitively (not including itself). */
export function stageAncestors(name: string, pipeline: readonly Stage[]): Set<string> {
  const byName = new Map(pipeline.map((s) => [s.name, s]));
  const out = new Set<string>();
  const walk = (n: string) => {
    for (const d of byName.get(n)?.needs ?? []) {
      if (!out.has(d)) {
        out.add(d);
        walk(d);
      }
    }
  };
  walk(name);
  return out;
}
