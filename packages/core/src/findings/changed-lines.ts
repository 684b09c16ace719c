import type { ChangedFile } from '../gates/changes';
import { changedFilesAt } from '../repo/changes';
import { PATCH_ARGS } from '../repo/diff';
import { runGit } from '../repo/git';
import { splitPatch } from '../repo/patch-sections';

/** What the task did to one file of the working tree, in that file's current line numbers. */
export interface FileChange {
  /** The lines the task added or modified; `all` for a file the task added. */
  added: ReadonlySet<number> | 'all';
  /**
   * Where the task removed lines without putting others in their place: `n` means between
   * line n and line n+1 (0: before the first line).
   */
  removedAfter: ReadonlySet<number>;
}

/**
 * The task's change: one entry per file of the working tree that differs from the base commit,
 * keyed by its path relative to the repository root (a renamed file under its new path). Deleted
 * files have no entry. A file renamed without an edit has an entry with nothing in it.
 */
export type ChangedLines = ReadonlyMap<string, FileChange>;

const ZERO_CONTEXT_HUNK = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const NOTHING: ReadonlySet<number> = new Set();

/** Whether the task changed the content of `change`'s file (a pure rename did not). */
export function contentChanged(change: FileChange): boolean {
  return change.added === 'all' || change.added.size > 0 || change.removedAfter.size > 0;
}

/** Added lines and removal points of one file's section of a zero-context diff. */
function sectionChange(text: string): { added: Set<number>; removedAfter: Set<number> } {
  const added = new Set<number>();
  const removedAfter = new Set<number>();
  for (const line of text.split('\n')) {
    // Content lines start with a space, `+`, `-` or `\`: a line starting with `@@` is a header.
    const hunk = line.startsWith('@@') ? ZERO_CONTEXT_HUNK.exec(line) : null;
    if (!hunk) continue;
    const oldCount = hunk[1] === undefined ? 1 : Number(hunk[1]);
    const start = Number(hunk[2]);
    const count = hunk[3] === undefined ? 1 : Number(hunk[3]);
    for (let n = start; n < start + count; n++) added.add(n);
    // With no lines on the new side, `start` is the line the removal follows.
    if (count === 0 && oldCount > 0) removedAfter.add(start);
  }
  return { added, removedAfter };
}

/**
 * `ChangedLines` from the changed files (`changedFiles`) and the zero-context diff between the
 * base commit and the working tree (`git diff --unified=0` with `PATCH_ARGS`). Added files
 * (untracked ones included) are `all`. A modified file whose added lines the diff does not show
 * (removed from the index but still on disk, so git shows it deleted and untracked) is `all` too.
 */
export function changedLinesFrom(files: readonly ChangedFile[], zeroContextPatch: string): ChangedLines {
  const sections = new Map<string, string>();
  for (const section of splitPatch(zeroContextPatch)) {
    if (section.path !== undefined) sections.set(section.path, section.text);
  }
  const out = new Map<string, FileChange>();
  for (const file of files) {
    if (file.status === 'deleted') continue;
    if (file.status === 'added' || file.status === 'copied') {
      out.set(file.path, { added: 'all', removedAfter: NOTHING });
      continue;
    }
    const text = sections.get(file.path);
    const change = text === undefined ? { added: new Set<number>(), removedAfter: new Set<number>() } : sectionChange(text);
    out.set(file.path, change.added.size === 0 && file.added > 0 ? { added: 'all', removedAfter: NOTHING } : change);
  }
  return out;
}

/**
 * The lines the task added or modified in each changed file of the working tree at `codeRoot`
 * (the root of the git working tree) since the commit `sha` (as `resolveBase` gives it):
 * committed since then, staged, unstaged and untracked, renames followed.
 */
export async function changedLinesOf(codeRoot: string, sha: string): Promise<ChangedLines> {
  const [files, diff] = await Promise.all([
    changedFilesAt(codeRoot, sha),
    runGit(['diff', '--unified=0', ...PATCH_ARGS, sha, '--'], { cwd: codeRoot }),
  ]);
  return changedLinesFrom(files, diff.stdout);
}
