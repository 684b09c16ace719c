import { err, ok, type Result } from '../../domain/errors';
import { describeValue, zodProblems } from '../../domain/zod-problems';
import { BEADS_STATUSES, BeadsIssueSchema, isKnownBeadsStatus, type BeadsIssue } from './record';

/**
 * Something wrong with one line of a Beads JSONL export. An `error` means the line gave no
 * issue; a `warning` means the issue was read and kept, but something about it is off.
 */
export interface BeadsJsonlProblem {
  file: string;
  /** 1-based, counting blank lines too, so it matches an editor's line numbers. */
  line: number;
  /** The record's id when one could be read, even from a line that is not valid JSON. */
  id?: string;
  severity: 'error' | 'warning';
  reason: string;
}

export interface BeadsJsonl {
  issues: BeadsIssue[];
  problems: BeadsJsonlProblem[];
}

/** Distinct reason prefixes, so callers can tell the kinds of problem apart. */
export const BEADS_JSONL_REASONS = {
  notJson: 'not valid JSON',
  notObject: 'expected a JSON object',
  invalid: 'invalid record',
  unknownDependency: 'unknown dependency',
  unknownStatus: 'unknown status',
  duplicateId: 'duplicate id',
} as const;

const ID_IN_TEXT = /"id"\s*:\s*"((?:[^"\\]|\\.)+)"/;

/** Best effort: the `"id": "…"` of a line that JSON.parse rejected. */
function idFromText(text: string): string | undefined {
  const m = ID_IN_TEXT.exec(text);
  if (!m) return undefined;
  try {
    return JSON.parse(`"${m[1]}"`) as string;
  } catch {
    return m[1];
  }
}

function idOf(data: object): string | undefined {
  const id = (data as { id?: unknown }).id;
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}

/**
 * Reads every line of a Beads `issues.jsonl`. Blank lines are skipped; each other line gives
 * exactly one issue or one `error` problem. Then, over the issues read: dependencies on ids that
 * are not in the file, statuses Beads does not define and repeated ids become `warning`s (the
 * issue is kept: real exports point at deleted wisps, and custom statuses are legal).
 */
export function parseBeadsJsonl(text: string, file: string): BeadsJsonl {
  const issues: BeadsIssue[] = [];
  const lineOf: number[] = [];
  const problems: BeadsJsonlProblem[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);

  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      problems.push({ file, line, id: idFromText(raw), severity: 'error', reason: `${BEADS_JSONL_REASONS.notJson}: ${why}` });
      return;
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      problems.push({ file, line, severity: 'error', reason: `${BEADS_JSONL_REASONS.notObject}, got ${describeValue(data)}` });
      return;
    }
    const parsed = BeadsIssueSchema.safeParse(data, { reportInput: true });
    if (!parsed.success) {
      const fields = zodProblems(file, parsed.error).map((p) => `${p.field}: ${p.message}`);
      problems.push({ file, line, id: idOf(data), severity: 'error', reason: `${BEADS_JSONL_REASONS.invalid}: ${fields.join('; ')}` });
      return;
    }
    issues.push(parsed.data);
    lineOf.push(line);
  });

  problems.push(...crossChecks(issues, lineOf, file));
  problems.sort((a, b) => a.line - b.line);
  return { issues, problems };
}

/** Warnings that need the whole file: unknown dependency targets, unknown statuses, repeated ids. */
function crossChecks(issues: BeadsIssue[], lineOf: number[], file: string): BeadsJsonlProblem[] {
  const warnings: BeadsJsonlProblem[] = [];
  const firstLine = new Map<string, number>();
  issues.forEach((issue, i) => {
    const earlier = firstLine.get(issue.id);
    if (earlier === undefined) firstLine.set(issue.id, lineOf[i]);
    else {
      warnings.push({
        file,
        line: lineOf[i],
        id: issue.id,
        severity: 'warning',
        reason: `${BEADS_JSONL_REASONS.duplicateId}: "${issue.id}" is also on line ${earlier}; the later record wins`,
      });
    }
  });
  issues.forEach((issue, i) => {
    const line = lineOf[i];
    if (!isKnownBeadsStatus(issue.status)) {
      warnings.push({
        file,
        line,
        id: issue.id,
        severity: 'warning',
        reason: `${BEADS_JSONL_REASONS.unknownStatus}: "${issue.status}" (known: ${BEADS_STATUSES.join(', ')}); kept as is`,
      });
    }
    for (const dep of issue.dependencies ?? []) {
      if (!firstLine.has(dep.depends_on_id)) {
        warnings.push({
          file,
          line,
          id: issue.id,
          severity: 'warning',
          reason: `${BEADS_JSONL_REASONS.unknownDependency}: ${dep.type || 'untyped'} dependency on "${dep.depends_on_id}", which is not in the file`,
        });
      }
    }
  });
  return warnings;
}

/** `file:line: [id] reason`, for logs and error messages. */
export function formatBeadsJsonlProblem(p: BeadsJsonlProblem): string {
  return `${p.file}:${p.line}: ${p.severity}: ${p.id ? `${p.id}: ` : ''}${p.reason}`;
}

/**
 * The issue with this id in a parsed export (the last one when the id repeats). When the id is
 * missing the message says whether its line was unreadable, or that it is not in the file.
 */
export function findBeadsIssue(jsonl: BeadsJsonl, id: string, file: string): Result<BeadsIssue> {
  for (let i = jsonl.issues.length - 1; i >= 0; i--) {
    if (jsonl.issues[i].id === id) return ok(jsonl.issues[i]);
  }
  const broken = jsonl.problems.find((p) => p.severity === 'error' && p.id === id);
  if (broken) {
    return err(`Beads issue "${id}" is on line ${broken.line} of ${file} but cannot be read: ${broken.reason}`);
  }
  return err(`Beads issue "${id}" is not in ${file} (${jsonl.issues.length} issues read); check the id, or refresh the export with bd`);
}
