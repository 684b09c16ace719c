import { SEVERITIES } from '../shared/mode-config';
import { countBySeverity, formatFinding, type Finding } from './findings';

export interface ReviewReportInput {
  slug: string;
  ran: boolean;
  /** Why the review did not run (no provider), or the reviewer's summary. */
  summary: string;
  model?: string;
  blockAt: string;
  findings: Finding[];
  blocking: Finding[];
  files: string[];
  omitted: string[];
}

/** The readable report (the stage's log): verdict, then every finding, most serious first. */
export function renderReviewReport(r: ReviewReportInput): string {
  if (!r.ran) {
    return `Review of ${r.slug}: NOT RUN (advisory)\n${r.summary}\nThe stage passes as advisory; a person reviews the change at approval.\n`;
  }
  const counts = countBySeverity(r.findings);
  const tally =
    SEVERITIES.filter((s) => counts[s])
      .map((s) => `${counts[s]} ${s}`)
      .join(', ') || 'no findings';
  const verdict = r.blocking.length
    ? `BLOCKED: ${r.blocking.length} finding${r.blocking.length === 1 ? '' : 's'} at or above "${r.blockAt}"`
    : `PASSED (blocks at "${r.blockAt}")`;
  const order = [...r.findings].sort((a, b) => SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity));
  const lines = [
    `Review of ${r.slug} by ${r.model}: ${verdict}; ${tally}.`,
    `Reviewed ${r.files.length} changed file${r.files.length === 1 ? '' : 's'}${r.omitted.length ? ` (${r.omitted.length} left out for the prompt budget: ${r.omitted.slice(0, 10).join(', ')})` : ''}.`,
    '',
    r.summary,
    '',
    ...(order.length ? order.map(formatFinding) : ['No findings.']),
  ];
  return `${lines.join('\n')}\n`;
}
