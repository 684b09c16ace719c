import { mkdirSync } from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { recordActivity, parseYaml, readTextIfExists, taskPaths, toJson, toYaml, writeFileAtomicSync } from '@factory/core';
import { totalUsage, type UsageRecord } from '../../usage';
import type { Redactor } from '../../redact';
import type { ModeName, TranscriptEntry } from './session';

/** Where a mode's transcripts go: `.factory/<slug>/llm/<mode>-<time>.json`. */
export function transcriptFile(slug: string, mode: ModeName, at: Date): string {
  return `${taskPaths(slug).dir}/llm/${mode}-${at.toISOString().replace(/[:.]/g, '-')}.json`;
}

export interface ModeRun {
  slug: string;
  mode: ModeName;
  actor: string;
  startedAt: Date;
  finishedAt: Date;
  /** `provider/model`, or undefined when the mode ran without a model. */
  model?: string;
  /** What the mode ended with: `written`, `passed`, `blocked`, `committed`, `needs_person`, … */
  outcome: string;
  /** Mode-specific facts for the audit event (attempts, findings, files). */
  details: Record<string, unknown>;
  usage: UsageRecord[];
  transcript: TranscriptEntry[];
}

/**
 * Records one run of a mode: its transcript (redacted) as a file, its calls in the task's
 * `metrics.yaml` under `llm:`, and activity records: one `llm_call` per request, then one
 * for the mode (`review`, `change_order`, `rescue`, `intake`) with the outcome. Returns the
 * transcript's path (relative to the root), or undefined when there was nothing to record.
 */
export async function recordModeRun(root: string, run: ModeRun, redactor: Redactor): Promise<string | undefined> {
  const scrub = <T>(data: T): T => JSON.parse(redactor.redact(JSON.stringify(data))) as T;
  let transcript: string | undefined;
  if (run.transcript.length > 0) {
    transcript = transcriptFile(run.slug, run.mode, run.startedAt);
    writeFileAtomicSync(
      path.join(root, transcript),
      toJson(
        scrub({
          slug: run.slug,
          mode: run.mode,
          model: run.model,
          started_at: run.startedAt.toISOString(),
          finished_at: run.finishedAt.toISOString(),
          outcome: run.outcome,
          entries: run.transcript,
        }),
      ),
    );
  }
  await updateLlmMetrics(root, run);
  for (const u of run.usage) {
    recordActivity(root, {
      task: run.slug,
      actor: run.actor,
      action: 'llm_call',
      outcome: 'ok',
      details: scrub({
        mode: run.mode,
        provider: u.provider,
        model: u.model,
        input_tokens: u.inputTokens,
        output_tokens: u.outputTokens,
        latency_ms: u.latencyMs,
        ...(u.costUsd === undefined ? {} : { cost_usd: u.costUsd }),
      }),
    });
  }
  const totals = totalUsage(run.usage);
  recordActivity(root, {
    task: run.slug,
    actor: run.actor,
    action: run.mode.replace('-', '_'),
    outcome: run.outcome,
    details: scrub({
      ...run.details,
      model: run.model ?? null,
      calls: totals.requests,
      input_tokens: totals.inputTokens,
      output_tokens: totals.outputTokens,
      ...(totals.costUsd === undefined ? {} : { cost_usd: totals.costUsd }),
      ...(transcript ? { transcript } : {}),
    }),
  });
  return transcript;
}

interface ModeMetrics {
  runs: number;
  calls: number;
  input_tokens: number;
  output_tokens: number;
  latency_ms: number;
  /** null once any call had no price: a partial sum would understate the cost. */
  cost_usd: number | null;
  last_run_at: string;
  last_outcome: string;
}

/** Adds the run to `metrics.yaml` `llm.<mode>` and `llm.total`, under a lock, keeping every other key. */
async function updateLlmMetrics(root: string, run: ModeRun): Promise<void> {
  const file = path.join(root, taskPaths(run.slug).metrics);
  mkdirSync(path.dirname(file), { recursive: true });
  const release = await lockfile.lock(path.dirname(file), {
    realpath: false,
    lockfilePath: `${file}.lock`,
    stale: 10_000,
    retries: { retries: 50, minTimeout: 20, maxTimeout: 200 },
  });
  try {
    const text = readTextIfExists(file);
    const parsed = text === undefined ? {} : parseYaml(text, taskPaths(run.slug).metrics).data;
    const doc = (parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {}) as Record<string, unknown>;
    const llm = (doc.llm && typeof doc.llm === 'object' ? doc.llm : {}) as Record<string, ModeMetrics | undefined>;
    const totals = totalUsage(run.usage);
    const add = (m: ModeMetrics | undefined): ModeMetrics => ({
      runs: (m?.runs ?? 0) + 1,
      calls: (m?.calls ?? 0) + totals.requests,
      input_tokens: (m?.input_tokens ?? 0) + totals.inputTokens,
      output_tokens: (m?.output_tokens ?? 0) + totals.outputTokens,
      latency_ms: (m?.latency_ms ?? 0) + totals.latencyMs,
      cost_usd:
        m && m.cost_usd === null
          ? null
          : totals.costUsd === undefined && totals.requests > 0
            ? null
            : (m?.cost_usd ?? 0) + (totals.costUsd ?? 0),
      last_run_at: run.finishedAt.toISOString(),
      last_outcome: run.outcome,
    });
    llm[run.mode] = add(llm[run.mode]);
    llm.total = add(llm.total);
    writeFileAtomicSync(file, toYaml({ ...doc, llm }));
  } finally {
    await release();
  }
}
