import { readFileSync } from 'node:fs';
import path from 'node:path';
import { recordActivity } from '../audit/activity';
import type { StageResult } from '../domain/results';
import { stageResultFiles, taskPaths } from '../store/paths';

/** What a green pipeline does besides saying so: tells Beads the task is ready for review (loaded lazily: zod, YAML). */
export interface LifecycleModule {
  afterGreenPipeline(root: string, slug: string, actor: string): Promise<void>;
}

export interface EvidenceIo {
  actor: () => Promise<string>;
  /** Loads the Beads sync (the bundled runner: a second bundle, `stage-lifecycle.cjs`). */
  lifecycle: () => Promise<LifecycleModule>;
}

/**
 * Records a finished stage run in the task's local activity log. The task's status is derived
 * from its results (lifecycle/derived-status.ts), so a run writes no status and no tracked file.
 */
export async function recordStageRun(root: string, result: StageResult, io: EvidenceIo): Promise<void> {
  recordActivity(root, {
    task: result.slug,
    actor: await io.actor(),
    action: 'stage_completed',
    outcome: result.status,
    details: {
      stage: result.stage_name,
      advisory: result.advisory,
      exit_code: result.exit_code,
      timed_out: result.timed_out,
      duration_ms: result.duration_ms,
      summary: result.summary.split('\n')[0].slice(0, 300),
      ...(result.code_tree ? { code_tree: result.code_tree } : {}),
    },
  });
}

/**
 * The `pipeline` target's work, after Nx ran (or restored) every stage: checks that each required
 * stage has a passing result (or, for a tool the project lacks, a skipped one). Returns the names
 * of required stages without one (empty: green), and on green tells Beads.
 */
export async function completePipeline(root: string, slug: string, required: readonly string[], io: EvidenceIo): Promise<string[]> {
  const notGreen = required.filter((name) => {
    try {
      const r = JSON.parse(readFileSync(path.join(root, stageResultFiles(slug, name).json), 'utf8')) as Partial<StageResult>;
      return r.status !== 'success' && r.status !== 'skipped';
    } catch {
      return true;
    }
  });
  if (notGreen.length) return notGreen;
  if (mayNameBeadsIssue(root, slug)) await (await io.lifecycle()).afterGreenPipeline(root, slug, await io.actor());
  return [];
}

/**
 * Whether the task's task.yaml can name a Beads issue, read as text: without the characters
 * `beads_id` (and without a backslash, which could spell them as an escape) no YAML reading of it
 * has that key, so the Beads sync (zod, YAML, git for the actor) is not loaded. A task.yaml that
 * cannot be read is left to the sync, which reports it.
 */
export function mayNameBeadsIssue(root: string, slug: string): boolean {
  let text: string;
  try {
    text = readFileSync(path.join(root, taskPaths(slug).task), 'utf8');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ENOENT';
  }
  return text.includes('beads_id') || text.includes('\\');
}
