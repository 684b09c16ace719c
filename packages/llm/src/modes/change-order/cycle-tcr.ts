import path from 'node:path';
import { readTextIfExists, stageResultFiles } from '@factory/core';
import type { TcrStep } from './tcr';

/**
 * Core's TCR cycle (`runTcrCycle` in `@factory/core`'s `tcr/`), as far as a change order uses
 * it: test the task's workspace, then commit every change, or save the attempt under
 * `refs/factory/<slug>/reverted/<n>` and revert it. Declared here structurally so the change
 * order depends on the behaviour, not on the module.
 */
export type TcrCycle = (request: {
  root: string;
  slug: string;
  /** The test stages (default: the TCR settings of config.yaml). */
  stages?: string[];
  actor?: string;
  /** The commit's summary after `<slug>: `. */
  message?: string;
  out?: (text: string) => void;
  signal?: AbortSignal;
}) => Promise<TcrCycleOutcome>;

export interface TcrCycleOutcome {
  /** committed | unchanged | reverted | build_failed | config_error | vcs_error | busy | gave_up */
  result: string;
  message: string;
  commit?: string;
  stages: { name: string; status: string; advisory: boolean; summary: string }[];
  attempt?: { ref: string };
}

/**
 * A TcrStep over core's TCR cycle. The cycle's own outcomes map onto the change order's:
 * committed → committed; reverted → failed with the failing stage's root cause (the cycle has
 * saved and reverted the attempt); build_failed → failed with its root cause, after putting the
 * edited files back (the cycle leaves a build failure in place, as feedback for a person; a
 * change order's next attempt must start from the code as it was). Anything else (busy, a
 * configuration or VCS error, nothing to commit) puts the files back and stops the change order.
 */
export function cycleTcrStep(cycle: TcrCycle, options: { actor: string; out?: (text: string) => void; stages?: string[] }): TcrStep {
  return async (req) => {
    const o = await cycle({
      root: req.root,
      slug: req.slug,
      actor: options.actor,
      message: req.summary,
      out: options.out,
      signal: req.signal,
      ...(options.stages ? { stages: options.stages } : {}),
    });
    const failed = o.stages.find((s) => s.status === 'failure' && !s.advisory);
    const why = failed ? `${failed.name} failed: ${failed.summary}` : o.message;
    // The failing stage's output, as the stage runner saved it, for the model's next attempt.
    const log = failed ? readTextIfExists(path.join(req.root, stageResultFiles(req.slug, failed.name).log)) : undefined;
    switch (o.result) {
      case 'committed':
        if (!o.commit) throw new Error(`TCR reported a commit without its id: ${o.message}`);
        return { committed: true, commit: o.commit, summary: o.message };
      case 'reverted':
        return { committed: false, summary: why, ...(log ? { log } : {}), ...(o.attempt ? { savedAs: o.attempt.ref } : {}) };
      case 'build_failed':
        req.restore();
        return { committed: false, summary: why, ...(log ? { log } : {}) };
      default:
        req.restore();
        throw new Error(`TCR could not judge the edits (${o.result}): ${o.message}`);
    }
  };
}
