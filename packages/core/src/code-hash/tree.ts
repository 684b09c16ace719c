import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runGit } from '../repo/git';
import { copyIndex, copyIndexWithout } from './index-copy';

export interface WorkingTreeOptions {
  /** Top-level paths left out of the tree (Factory's own state: `.factory`). */
  exclude?: readonly string[];
  /** Where the temporary index goes (default: a fresh temporary directory). */
  indexFile?: string;
}

/**
 * The index file of the repository whose top is `dir`, where `.git` says it without a git
 * process: `.git/index` when `.git` is a directory, `<gitdir>/index` when it is a file naming an
 * absolute gitdir (a worktree). Undefined otherwise (a subdirectory of a repository, say).
 */
export function plainIndexPath(dir: string): string | undefined {
  const dotGit = path.join(dir, '.git');
  try {
    if (statSync(dotGit).isDirectory()) return path.join(dotGit, 'index');
    const gitdir = /^gitdir: (\/.*)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1];
    return gitdir ? path.join(gitdir, 'index') : undefined;
  } catch {
    return undefined;
  }
}

/** The repository's index file: found without git where `.git` says it plainly, else git says. */
async function indexPathOf(dir: string): Promise<string> {
  return plainIndexPath(dir) ?? (await runGit(['rev-parse', '--path-format=absolute', '--git-path', 'index'], { cwd: dir })).stdout.trim();
}

/**
 * The git tree id of the working tree at `dir`: every file git would see with `git add -A`
 * (tracked and untracked, not ignored; deleted files absent), whatever is committed or staged.
 * Two states with the same files and contents have the same id on every machine, so it is the
 * one notion of "the code" Factory keys on: the judged code of a stage's evidence, the cache
 * input of built-in stages and of task workspaces, what a TCR save commits.
 *
 * Works on a copy of git's index (`GIT_INDEX_FILE`), keeping its mtime, so git rehashes only files
 * changed since the index was written and the repository's own index is untouched. The excluded
 * paths leave the copy first and are kept out of `git add`.
 */
export async function workingTreeId(dir: string, options: WorkingTreeOptions = {}): Promise<string> {
  const tmp = options.indexFile ? undefined : mkdtempSync(path.join(tmpdir(), 'factory-tree-'));
  const index = options.indexFile ?? path.join(tmp as string, 'index');
  const env = { GIT_INDEX_FILE: index };
  try {
    const exclude = options.exclude ?? [];
    const from = await indexPathOf(dir);
    // Left out of the copy where it is an index read here (a git process fewer), else by git.
    if (!copyIndexWithout(from, index, exclude)) {
      copyIndex(from, index);
      await runGit(['rm', '-r', '-q', '--cached', '--ignore-unmatch', '--', ...exclude.map((p) => `:(top,literal)${p}`)], {
        cwd: dir,
        env,
      });
    }
    await runGit(['add', '-A', '--', ':/', ...exclude.map((p) => `:(exclude,top,literal)${p}`)], { cwd: dir, env });
    return (await runGit(['write-tree'], { cwd: dir, env })).stdout.trim();
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    else rmSync(index, { force: true });
  }
}

/** Factory's own state is never part of a task's code. */
export const STATE_DIRS = ['.factory'] as const;

/** The tree id of a task's code: the working tree at `codeRoot` without Factory's state. */
export function codeTreeId(codeRoot: string): Promise<string> {
  return workingTreeId(codeRoot, { exclude: STATE_DIRS });
}
