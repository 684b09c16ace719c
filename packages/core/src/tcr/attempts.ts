import { recordActivity } from '../audit/activity';
import { FactoryError } from '../domain/errors';
import { acquireTaskLock } from '../lock/run-lock';
import type { ChangedPath, SavedAttempt, SavedKind } from '../workspace/backend';
import { resolveActor } from '../workspace/actor';
import type { CommandRunner } from '../workspace/command-runner';
import { backendOf, requireTaskWorkspace } from '../workspace/task-workspace';

export interface ListedAttempt extends SavedAttempt {
  files: ChangedPath[];
}

/** The task's saved states (reverted TCR attempts first), each with the files it changed. */
export async function listTcrAttempts(
  root: string,
  slug: string,
  o: { kind?: SavedKind; runner?: CommandRunner } = {},
): Promise<ListedAttempt[]> {
  const ws = requireTaskWorkspace(root, slug);
  const backend = backendOf(root, ws, o.runner);
  const saved = await backend.listSaved(slug, o.kind);
  const out: ListedAttempt[] = [];
  for (const s of saved) out.push({ ...s, files: await backend.savedFiles({ slug, dir: ws.dir }, s) });
  return out;
}

export interface RestoreAttemptResult {
  restored: SavedAttempt;
  /** Work in the working copy, saved before it was replaced. */
  setAside?: SavedAttempt;
  files: ChangedPath[];
}

/**
 * Brings a saved attempt back into the task's workspace: whatever the working copy holds is
 * first saved under `refs/factory/<slug>/saved/<n>`, then the working copy becomes the attempt,
 * byte for byte (new and deleted files included) when the task has not moved on since; after
 * later commits its change is applied three-way. Audited as `tcr_restored`.
 */
export async function restoreTcrAttempt(
  root: string,
  slug: string,
  which: { n: number; kind?: SavedKind },
  o: { actor?: string; runner?: CommandRunner; waitMs?: number } = {},
): Promise<RestoreAttemptResult> {
  const ws = requireTaskWorkspace(root, slug);
  const kind = which.kind ?? 'reverted';
  const actor = await resolveActor(root, o.actor);
  const lock = await acquireTaskLock(root, slug, {
    kind: 'tcr',
    command: `restore ${kind} attempt ${which.n} of ${slug}`,
    waitMs: o.waitMs,
  });
  try {
    const backend = backendOf(root, ws, o.runner);
    const ref = { slug, dir: ws.dir };
    const all = await backend.listSaved(slug, kind);
    const target = all.find((s) => s.n === which.n);
    if (!target) {
      const have = all.map((s) => s.n).join(', ');
      throw new FactoryError(
        'NOT_FOUND',
        `task ${slug} has no ${kind} attempt ${which.n}${have ? ` (it has ${have})` : ` (it has none)`}; see: factory tcr list ${slug}`,
      );
    }
    const aside = await backend.save(ref, 'saved', `${slug}: work set aside before restoring ${target.ref}\n\nFactory-Task: ${slug}\n`);
    if (aside) await backend.revert(ref, aside.files);
    await backend.restoreSaved(ref, target);
    const files = await backend.savedFiles(ref, target);
    recordActivity(root, {
      task: slug,
      actor,
      action: 'tcr_restored',
      outcome: 'success',
      details: { attempt: target.ref, commit: target.commit, files: files.length, ...(aside ? { set_aside: aside.saved.ref } : {}) },
    });
    return { restored: target, setAside: aside?.saved, files };
  } finally {
    await lock.release();
  }
}
