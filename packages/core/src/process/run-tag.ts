import { readStat } from './proc-table';

/**
 * The environment marker every process of a run carries. runFile puts it in the command's
 * environment; children inherit it, including those that call setsid or double-fork, so a
 * run's processes can be found in /proc/<pid>/environ wherever they went. A command started by
 * a command of another run (a stage that runs Nx, which runs a stage) keeps the outer entries
 * and adds its own: the outer run still finds it.
 *
 * Value: entries separated by spaces, each `v1:<run id>:<owner pid>:<owner start>:<task>`, the
 * owner being the process that called runFile (with its start time, so a reused pid does not
 * pass for it) and the task URI-encoded.
 */
export const TAG_VARIABLE = 'FACTORY_RUN_TAG';

/** The task a run belongs to, so that processes a killed run left behind can be found by the next run of that task. */
export interface ProcessTag {
  /** Names the task uniquely on this machine: see `taskProcessTag` in lock/run-lock. */
  task: string;
}

export interface TagEntry {
  run: string;
  ownerPid: number;
  /** processStartTime of the owner ('' where unknown). */
  ownerStart: string;
  task: string;
}

/** Entries kept from enclosing runs: enough for any real nesting, bounded for the environment's sake. */
const MAX_ENTRIES = 8;

let ownStart: string | undefined;
let runs = 0;

/**
 * A new entry for a run owned by this process. The run id only has to differ from the ids of
 * the other runs alive on this machine (it is no secret: any process that can read the
 * environment sees it): a count of this process's runs and a random part.
 */
export function newTagEntry(task: string): TagEntry {
  ownStart ??= readStat('self')?.started ?? '';
  const random = Math.floor(Math.random() * 0x1000000000000)
    .toString(16)
    .padStart(12, '0');
  return { run: `${random}${(runs++).toString(16).padStart(4, '0')}`, ownerPid: process.pid, ownerStart: ownStart, task };
}

/** The marker's value for a run: the inherited entries (if any) and this one. */
export function tagValue(inherited: string | undefined, entry: TagEntry): string {
  const own = `v1:${entry.run}:${entry.ownerPid}:${entry.ownerStart}:${encodeURIComponent(entry.task)}`;
  const outer = (inherited ?? '').split(' ').filter((e) => e.startsWith('v1:'));
  return [...outer.slice(-(MAX_ENTRIES - 1)), own].join(' ');
}

/** The entries of a marker's value; malformed ones are skipped. */
export function parseTag(value: string | undefined): TagEntry[] {
  if (!value) return [];
  const entries: TagEntry[] = [];
  for (const raw of value.split(' ')) {
    const f = raw.split(':');
    if (f.length !== 5 || f[0] !== 'v1') continue;
    const ownerPid = Number(f[2]);
    if (!Number.isInteger(ownerPid) || ownerPid <= 0) continue;
    try {
      entries.push({ run: f[1], ownerPid, ownerStart: f[3], task: decodeURIComponent(f[4]) });
    } catch {
      // A task name that is not valid URI encoding: not one of ours.
    }
  }
  return entries;
}
