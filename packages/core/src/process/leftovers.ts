import { isDead, readStat } from './proc-table';
import { findProcesses, ProcessReaper, selfAndAncestors, type KilledProcess } from './run-processes';
import type { ProcessTag, TagEntry } from './run-tag';

export interface LeftoverOptions {
  /** How long to keep ending them before giving up on the rest (default 3 s). */
  limitMs?: number;
}

/**
 * Ends the processes that earlier runs of `tag.task` left running because the process that
 * ran them (their run's owner, recorded in their marker) is gone: it was killed before it
 * could end them. Processes whose owner still runs are another live run's and are left alone,
 * as are this process and its ancestors. Returns what it ended; empty without /proc.
 *
 * This reads every process's environment, so it is meant for the start of a run after a
 * killed one (the run lock calls it when it finds a dead holder), not for every run.
 */
export async function endLeftoverProcesses(tag: ProcessTag, o: LeftoverOptions = {}): Promise<KilledProcess[]> {
  // Runs without a task all carry the empty one: they are not one task's.
  if (!tag.task) return [];
  const exclude = selfAndAncestors();
  const owners = new Map<string, boolean>();
  const ownerGone = (e: TagEntry) => {
    const key = `${e.ownerPid}:${e.ownerStart}`;
    let gone = owners.get(key);
    if (gone === undefined) {
      const s = exclude.has(e.ownerPid) ? undefined : readStat(e.ownerPid);
      gone = !exclude.has(e.ownerPid) && (!s || isDead(s) || (e.ownerStart !== '' && s.started !== e.ownerStart));
      owners.set(key, gone);
    }
    return gone;
  };
  const reaper = new ProcessReaper(() => findProcesses((entries) => entries.some((e) => e.task === tag.task && ownerGone(e)), { exclude }));
  await reaper.kill(o.limitMs);
  return reaper.list();
}

/** `pid 123 (sleep 300), pid 124 (sh -c …)`: a list of ended processes for messages. */
export function describeKilled(killed: readonly KilledProcess[], limit = 5): string {
  const shown = killed.slice(0, limit).map((k) => `pid ${k.pid} (${k.command.length > 80 ? `${k.command.slice(0, 79)}…` : k.command})`);
  const more = killed.length > limit ? ` and ${killed.length - limit} more` : '';
  return `${shown.join(', ')}${more}`;
}
