import type { StageView, TaskView } from '@factory/core';
import { duration, metricText, words } from '../text';
import { mdBlock, mdText } from './markdown';

/** A check run as the Checks API takes it (create or update). */
export interface CheckRunPayload {
  name: string;
  external_id: string;
  status: 'queued' | 'completed';
  conclusion?: 'success' | 'failure' | 'neutral' | 'skipped';
  started_at?: string;
  completed_at?: string;
  output: {
    title: string;
    summary: string;
    text?: string;
    annotations?: {
      path: string;
      start_line: number;
      end_line: number;
      annotation_level: 'failure' | 'warning';
      message: string;
      title: string;
    }[];
  };
}

/** The check run's name for a stage: one per stage, stable, so a later publish updates it. */
export const checkName = (stage: string): string => `factory / ${stage}`;

const CONCLUSION = { pass: 'success', fail: 'failure', advisory: 'neutral', skipped: 'skipped' } as const;

/** GitHub takes at most 50 annotations per request and 65535 characters per text. */
const MAX_ANNOTATIONS = 50;
const MAX_TEXT = 60_000;
const cut = (s: string) => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}\n…(cut)` : s);

/**
 * One stage as a check run (pure): its verdict as the conclusion (an advisory failure is
 * `neutral`; a stage that has not run stays `queued`, which no branch protection mistakes for a
 * pass), its cause as the summary, its metrics, tests and findings as the text, and each finding
 * with a file and line as an annotation.
 */
export function checkRunFor(slug: string, s: StageView): CheckRunPayload {
  const base = { name: checkName(s.name), external_id: `${slug}:${s.name}` };
  if (s.verdict === 'not_run')
    return {
      ...base,
      status: 'queued',
      output: { title: 'not run yet', summary: `No result yet. Run it with \`nx run ${slug}:stage-${s.name}\`.` },
    };
  const details: string[] = [];
  details.push(
    `**${words(s.verdict)}**${s.required ? '' : ' (advisory stage)'} in ${duration(s.duration_ms)}${s.cached ? ', restored from the Nx cache' : ''}.`,
  );
  if (s.tests) details.push(`Tests: ${s.tests.passed} passed, ${s.tests.failed} failed, ${s.tests.skipped} skipped.`);
  const metrics = Object.entries(s.metrics ?? {});
  if (metrics.length)
    details.push('', '| metric | value |', '|---|---|', ...metrics.map(([k, v]) => `| ${mdText(words(k))} | ${mdText(metricText(v))} |`));
  if (s.findings?.length) details.push('', '**Findings**', '', ...s.findings.map((f) => `- ${mdText(f.message)}`));
  if (s.log_tail) details.push('', `Last lines of \`${s.log_file ?? 'the log'}\`:`, '', mdBlock(s.log_tail));
  const annotations = (s.findings ?? [])
    .filter((f) => f.file && f.line)
    .slice(0, MAX_ANNOTATIONS)
    .map((f) => ({
      path: f.file as string,
      start_line: f.line as number,
      end_line: f.line as number,
      annotation_level: (s.verdict === 'fail' ? 'failure' : 'warning') as 'failure' | 'warning',
      message: f.message,
      title: f.rule,
    }));
  return {
    ...base,
    status: 'completed',
    conclusion: CONCLUSION[s.verdict],
    ...(s.started_at ? { started_at: s.started_at } : {}),
    ...(s.finished_at ? { completed_at: s.finished_at } : {}),
    output: {
      title: `${words(s.verdict)}${s.summary ? `: ${s.summary.split('\n')[0].slice(0, 120)}` : ''}`,
      summary: cut(s.summary ? mdBlock(s.summary) : words(s.verdict)),
      text: cut(details.join('\n')),
      ...(annotations.length ? { annotations } : {}),
    },
  };
}

export function checkRunsFor(v: TaskView): CheckRunPayload[] {
  return v.stages.map((s) => checkRunFor(v.slug, s));
}
