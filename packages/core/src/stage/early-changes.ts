import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { ChangedFile } from '../gates/changes';
import { changedFilesAt } from '../repo/changes';
import { resolveBase } from '../repo/commits';
import { findRepoRoot } from '../repo/root';
import { readTextIfExists } from '../store/atomic';
import { taskPaths } from '../store/paths';
import { baseCommitOf } from '../workspace/code-root';

/**
 * The task's changed files, asked of git before the built-in stage that needs them has even
 * loaded. On a large change the diff is most of the contract stage's time, and loading the
 * built-in stages' bundle (and reading the contract) can happen while git works.
 */
export interface EarlyChanges {
  gitRoot: string;
  /** The base as task.yaml gives it (`HEAD` when it gives none). */
  given: string;
  /** The base commit this diff is against (rejects when it names no commit). */
  sha: Promise<string>;
  changes: Promise<ChangedFile[]>;
}

/**
 * Starts the diff of the task's code against its base commit. Best effort and never wrong: the
 * base is read from task.yaml without YAML (undefined when the line is not the plain form), and
 * the built-in stage uses the result only when its own, validated base and repository match.
 */
export function startEarlyChanges(root: string, codeRoot: string, slug: string): EarlyChanges | undefined {
  try {
    const text = readTextIfExists(path.join(root, taskPaths(slug).task)) ?? '';
    const given = baseCommitOf(text) ?? (/^base_commit\s*:/m.test(text) ? undefined : 'HEAD');
    if (given === undefined) return undefined;
    const gitRoot = realpathSync(findRepoRoot(codeRoot).root);
    const sha = resolveBase(gitRoot, given);
    // A full commit id (as Factory records it) needs no resolving first: git starts now.
    const changes = /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(given)
      ? changedFilesAt(gitRoot, given)
      : sha.then((s) => changedFilesAt(gitRoot, s));
    sha.catch(() => undefined);
    changes.catch(() => undefined);
    return { gitRoot, given, sha, changes };
  } catch {
    return undefined;
  }
}

/** The early diff when it is the one asked for (same repository, same base), else undefined. */
export async function earlyChangesFor(early: EarlyChanges | undefined, gitRoot: string, sha: string): Promise<EarlyChanges | undefined> {
  if (!early || early.gitRoot !== gitRoot) return undefined;
  const s = await early.sha.catch(() => undefined);
  return s === sha ? early : undefined;
}
