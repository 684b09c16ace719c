import parseDiff from 'parse-diff';
import { resolveBase } from './commits';
import { PATCH_ARGS } from './diff';
import { runGit } from './git';
import { listUntracked, readUntracked } from './untracked';
import { splitPatch } from './patch-sections';

export interface AddedLine {
  /** Path relative to the repository root. */
  file: string;
  /** 1-based line number in the working tree's file. */
  line: number;
  /** The line without its newline (a `\r` of CRLF files is kept). */
  text: string;
}

/** Every added line of one file's diff section, parsed with parse-diff. */
function sectionLines(file: string, text: string): AddedLine[] {
  const out: AddedLine[] = [];
  for (const parsed of parseDiff(text)) {
    for (const chunk of parsed.chunks) {
      for (const change of chunk.changes) {
        // parse-diff also reports a "\ No newline at end of file" marker as a change of the previous type.
        if (change.type === 'add' && change.content.startsWith('+')) out.push({ file, line: change.ln, text: change.content.slice(1) });
      }
    }
  }
  return out;
}

/** Every line of an untracked text file, numbered from 1. */
function allLines(file: string, text: string): AddedLine[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((t, i) => ({ file, line: i + 1, text: t }));
}

/**
 * The lines added between `base` and the working tree, with their line numbers in the working
 * tree: tracked changes (committed, staged, unstaged; renames detected, so a renamed file yields
 * only its edits) and every line of untracked, not ignored files. Binary files are skipped.
 * `paths` (relative to the root) keeps only those files. `resolved`: `base` is a commit id the
 * caller has just resolved (then git is not asked again). Ordered by file, then line.
 */
export async function addedLines(
  repoRoot: string,
  base: string,
  opts: { paths?: string[]; resolved?: boolean } = {},
): Promise<AddedLine[]> {
  const sha = opts.resolved ? base : await resolveBase(repoRoot, base);
  const wanted = opts.paths ? new Set(opts.paths) : undefined;
  const [diff, untracked] = await Promise.all([
    runGit(['diff', '--unified=0', ...PATCH_ARGS, sha, '--'], { cwd: repoRoot }),
    listUntracked(repoRoot).then((paths) => readUntracked(repoRoot, wanted ? paths.filter((p) => wanted.has(p)) : paths, true)),
  ]);
  const out: AddedLine[] = [];
  for (const section of splitPatch(diff.stdout)) {
    if (section.path !== undefined && (!wanted || wanted.has(section.path))) out.push(...sectionLines(section.path, section.text));
  }
  for (const u of untracked) {
    if (u.text !== undefined) out.push(...allLines(u.path, u.text));
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
}
