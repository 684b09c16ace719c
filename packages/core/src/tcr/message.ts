import type { ChangedPath } from '../workspace/backend';

const VERB: Record<ChangedPath['kind'], string> = { added: 'add', modified: 'update', deleted: 'delete' };

/** `add a.ts, update b.ts and 3 more`: what a change did, in a few words. */
export function describeFiles(files: readonly ChangedPath[], max = 3): string {
  if (files.length === 0) return 'no files';
  const shown = files.slice(0, max).map((f) => `${VERB[f.kind]} ${f.path}`);
  const rest = files.length - shown.length;
  return rest > 0 ? `${shown.join(', ')} and ${rest} more` : shown.join(', ');
}

function body(lines: string[], trailers: Record<string, string>): string {
  const t = Object.entries(trailers).map(([k, v]) => `${k}: ${v}`);
  return `${lines.join('\n')}\n\n${t.join('\n')}\n`;
}

/**
 * A TCR commit's message: `<slug>: <what changed>` (or the given summary), the stages that
 * passed, and the `Factory-Task` trailer that ties the commit to its task.
 */
export function commitMessage(slug: string, files: readonly ChangedPath[], passed: string[], summary?: string): string {
  const subject = `${slug}: ${summary?.trim() || describeFiles(files)}`;
  const lines = [subject.split('\n')[0], '', `TCR: ${passed.join(', ')} passed.`];
  if (files.length > 3) lines.push('', ...files.map((f) => `- ${VERB[f.kind]} ${f.path}`));
  return body(lines, { 'Factory-Task': slug });
}

/** A reverted attempt's message: why it failed and which files it touched. */
export function attemptMessage(
  slug: string,
  failed: { stage: string; summary: string },
  files: readonly ChangedPath[],
  summary?: string,
): string {
  const subject = `${slug}: reverted attempt: ${summary?.trim() || describeFiles(files)}`;
  const lines = [
    subject.split('\n')[0],
    '',
    `TCR: ${failed.stage} failed: ${failed.summary.split('\n')[0]}`,
    '',
    ...files.map((f) => `- ${VERB[f.kind]} ${f.path}`),
  ];
  return body(lines, { 'Factory-Task': slug, 'Factory-TCR': 'reverted' });
}
