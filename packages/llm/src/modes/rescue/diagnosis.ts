import { z } from 'zod';
import type { StageResult } from '@factory/core';

/** The model's diagnosis of a failed stage. */
export const DiagnosisSchema = z.object({
  root_cause: z.string().min(1).max(4_000),
  evidence: z
    .array(
      z.object({ source: z.string().min(1).max(500), line: z.int().min(1).nullable().default(null), text: z.string().min(1).max(2_000) }),
    )
    .max(30),
  proposed_fix: z.object({
    summary: z.string().min(1).max(2_000),
    /** What a change order should do: given to the change order as its instruction by `--apply`. */
    instruction: z.string().min(1).max(8_000),
  }),
});
export type Diagnosis = z.infer<typeof DiagnosisSchema>;

export const DIAGNOSIS_FORMAT = `Answer with ONE JSON object and nothing else:
{
  "root_cause": "one or two sentences: the first thing that went wrong, and why",
  "evidence": [ { "source": "log" or a file path from the diff, "line": 12 or null, "text": "the line, copied exactly" } ],
  "proposed_fix": { "summary": "one line", "instruction": "what to change, precise enough for another engineer to do it" }
}`;

/** One quoted line that supports the diagnosis. */
export interface Evidence {
  source: string;
  line: number | null;
  text: string;
}

const ERROR_LINE =
  /\b(error|errors|fail(ed|ure|ing)?|exception|assert(ion)?|panic|traceback|expected|undefined|cannot|not found|denied|timed out)\b|✕|✖|FAIL\b|ERR!/i;

/** Pure: the failed stage whose result is newest, or undefined when none failed. */
export function lastFailedStage(results: readonly StageResult[]): StageResult | undefined {
  return [...results]
    .filter((r) => r.status === 'failure')
    .sort((a, b) => (a.finished_at < b.finished_at ? 1 : a.finished_at > b.finished_at ? -1 : 0))[0];
}

/** Pure: the log lines that look like errors, numbered from 1, at most `max`, first ones first. */
export function errorLines(log: string, max = 12): Evidence[] {
  const out: Evidence[] = [];
  const lines = log.split('\n');
  for (let i = 0; i < lines.length && out.length < max; i++) {
    const text = lines[i].trim();
    if (text && ERROR_LINE.test(text)) out.push({ source: 'log', line: i + 1, text: text.slice(0, 500) });
  }
  return out;
}

/** Pure: keeps the evidence whose log quotes really are in the log (models misquote); file quotes are kept as given. */
export function verifiedEvidence(evidence: readonly Evidence[], log: string): { kept: Evidence[]; dropped: number } {
  const kept = evidence.filter((e) => e.source !== 'log' || log.includes(e.text.trim()));
  return { kept, dropped: evidence.length - kept.length };
}

export interface RescueReport {
  slug: string;
  stage: StageResult;
  model?: string;
  /** Why no model was asked. */
  reason?: string;
  rootCause: string;
  evidence: Evidence[];
  droppedEvidence: number;
  fix?: Diagnosis['proposed_fix'];
}

/** rescue.md */
export function renderRescue(r: RescueReport): string {
  const by = r.model
    ? `Diagnosed by ${r.model}.`
    : `No model was asked (${r.reason}): this diagnosis is only the stage's recorded summary and the error lines of its log.`;
  const evidence = r.evidence.length
    ? r.evidence.map((e) => `- ${e.source}${e.line ? `:${e.line}` : ''}: \`${e.text.replace(/`/g, "'")}\``).join('\n')
    : '- (no error lines found in the log)';
  const dropped = r.droppedEvidence
    ? `\n\n(${r.droppedEvidence} quoted line${r.droppedEvidence === 1 ? ' was' : 's were'} not found in the log and left out.)`
    : '';
  const fix = r.fix
    ? `**${r.fix.summary}**\n\n${r.fix.instruction}\n\nApply it with: \`nx run ${r.slug}:rescue --apply\` (goes through the change order: contract checks and TCR).`
    : 'None proposed: proposing a fix needs an LLM provider (see docs/llm.md), or a person.';
  return `# Rescue: ${r.slug} › ${r.stage.stage_name}

${by}

Stage \`${r.stage.stage_name}\` failed at ${r.stage.finished_at} (exit ${r.stage.exit_code ?? 'none'}${r.stage.timed_out ? ', timed out' : ''}). Log: \`${r.stage.log_file}\`.

## Root cause

${r.rootCause}

## Evidence

${evidence}${dropped}

## Proposed fix

${fix}
`;
}
