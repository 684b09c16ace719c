import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { lockDir } from '../lock/record';
import { writeFileAtomicSync } from '../store/atomic';
import type { ChangedPath, SavedAttempt } from '../workspace/backend';

/**
 * What a TCR revert is about to do, written before it starts and removed when it is done. A
 * run killed in between leaves it behind, and the next run finishes the revert first (after
 * saving whatever the working copy then holds, so that nothing is lost either way).
 */
export interface PendingRevert {
  v: 1;
  /** The commit the working copy was on. */
  head: string;
  since: string;
  /** The saved attempt, once it is saved. */
  attempt?: SavedAttempt;
  variant: 'relaxed' | 'strict';
  files?: ChangedPath[];
}

const file = (root: string, slug: string) => path.join(lockDir(root, slug), 'tcr-pending.json');

export function readPendingRevert(root: string, slug: string): PendingRevert | undefined {
  try {
    const p = JSON.parse(readFileSync(file(root, slug), 'utf8')) as PendingRevert;
    return p?.v === 1 ? p : undefined;
  } catch {
    return undefined;
  }
}

export function writePendingRevert(root: string, slug: string, p: PendingRevert): void {
  writeFileAtomicSync(file(root, slug), `${JSON.stringify(p, null, 2)}\n`);
}

export function clearPendingRevert(root: string, slug: string): void {
  rmSync(file(root, slug), { force: true });
}
