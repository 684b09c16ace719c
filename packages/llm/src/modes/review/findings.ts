import { z } from 'zod';
import { SEVERITIES, SeveritySchema, type Severity } from '../shared/mode-config';

/** One thing the reviewer found. `file` is null for a remark about the change as a whole. */
export const FindingSchema = z.object({
  severity: SeveritySchema,
  file: z.string().min(1).nullable().default(null),
  line: z.int().min(1).nullable().default(null),
  message: z.string().min(1).max(4_000),
});
export type Finding = z.infer<typeof FindingSchema>;

/** The reviewer's answer. Lenient about extra fields, strict about the ones read. */
export const ReviewAnswerSchema = z.object({
  summary: z.string().min(1).max(4_000),
  findings: z.array(FindingSchema).max(200),
});
export type ReviewAnswer = z.infer<typeof ReviewAnswerSchema>;

export const REVIEW_ANSWER_FORMAT = `Answer with ONE JSON object and nothing else:
{
  "summary": "two or three sentences: does the change do what the spec asks, inside the contract?",
  "findings": [
    { "severity": "high", "file": "src/a.ts", "line": 12, "message": "what is wrong and why it matters" }
  ]
}
severity is one of ${SEVERITIES.map((s) => `"${s}"`).join(', ')}:
critical = security hole, data loss or the change breaks the contract; high = a bug or an
acceptance criterion not met; medium = a risk or missing test; low = a nit; info = a remark.
"file" is a path from the diff (null for the change as a whole); "line" is the line in the new
file (null when not about one line). No findings: "findings": [].`;

const rank = (s: Severity) => SEVERITIES.indexOf(s);

/** Pure: the findings at or above `blockAt` (none when `never`), most serious first. */
export function blockingFindings(findings: readonly Finding[], blockAt: Severity | 'never'): Finding[] {
  if (blockAt === 'never') return [];
  return findings.filter((f) => rank(f.severity) >= rank(blockAt)).sort((a, b) => rank(b.severity) - rank(a.severity));
}

export const formatFinding = (f: Finding): string => `[${f.severity}] ${f.file ?? '(change)'}${f.line ? `:${f.line}` : ''}: ${f.message}`;

/** Counts per severity, e.g. `{ high: 1, low: 2 }`. */
export function countBySeverity(findings: readonly Finding[]): Partial<Record<Severity, number>> {
  const out: Partial<Record<Severity, number>> = {};
  for (const f of findings) out[f.severity] = (out[f.severity] ?? 0) + 1;
  return out;
}
