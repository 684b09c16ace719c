import { hasProc, isDead, listPids, pipeHolders, readCommand, readEnvVar, readStat, type ProcStat } from './proc-table';
import { createdSince, type PidWindow } from './pid-window';
import { parseTag, TAG_VARIABLE, type TagEntry } from './run-tag';

/** A process that was ended because its run timed out, was aborted, had ended, or was killed earlier. */
export interface KilledProcess {
  pid: number;
  /** Its command line as the process table showed it (may hold what the command was given: redact before writing it out). */
  command: string;
}

export interface FindOptions {
  /** Only pids that may have been created since this window opened are looked at (default: all). */
  window?: PidWindow;
  /** Sessions whose every member belongs to the group (a run's first process leads its own). */
  sessions?: readonly number[];
  /** Never part of the group (this process and its ancestors). */
  exclude?: ReadonlySet<number>;
}

/** A look at the process table: the group's live processes, and how many others it could not judge. */
export interface FoundProcesses {
  live: Map<number, ProcStat>;
  /**
   * Processes that were listed but had ended (or were zombies) when read: the listing is not one
   * instant, so a process may have started a child after the listing passed the child's pid and
   * then died, leaving a child that carries the marker, has no parent in the group and was not
   * listed. Only the next look can see it.
   */
  unsure: number;
}

/**
 * The live processes of a group: those whose marker entries `seed` accepts, every member of
 * their sessions and of `o.sessions`, and the descendants of all of these (by parent pid).
 * A session holds only descendants of the process that created it, and a marked process's
 * session was created inside its run, so a session takes in processes that cleared their
 * environment without leaving it.
 */
export function findProcesses(seed: (entries: TagEntry[]) => boolean, o: FindOptions = {}): FoundProcesses {
  const found = new Map<number, ProcStat>();
  if (!hasProc()) return { live: found, unsure: 0 };
  const pids = listPids();
  const candidate = createdSince(o.window);
  const sessions = new Set(o.sessions ?? []);
  const others = new Map<number, ProcStat>();
  let unsure = 0;
  for (const pid of pids) {
    if (pid === process.pid || !candidate(pid) || o.exclude?.has(pid)) continue;
    const stat = readStat(pid);
    if (!stat || isDead(stat)) {
      unsure++;
      continue;
    }
    if (sessions.has(stat.session) || seed(parseTag(readEnvVar(pid, TAG_VARIABLE)))) {
      found.set(pid, stat);
      if (!o.exclude?.has(stat.session)) sessions.add(stat.session);
    } else others.set(pid, stat);
  }
  for (let grew = found.size > 0; grew;) {
    grew = false;
    for (const [pid, stat] of others) {
      if (!sessions.has(stat.session) && !found.has(stat.ppid)) continue;
      found.set(pid, stat);
      others.delete(pid);
      if (!o.exclude?.has(stat.session)) sessions.add(stat.session);
      grew = true;
    }
  }
  return { live: found, unsure };
}

/** This process and its ancestors: never ended by a search for processes. */
export function selfAndAncestors(): Set<number> {
  const chain = new Set<number>([process.pid]);
  for (let pid = process.ppid; pid > 1 && !chain.has(pid); pid = readStat(pid)?.ppid ?? 0) chain.add(pid);
  return chain;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Looks that found nothing of the group but saw a process end while it looked, before `kill` stops. */
const UNSURE_LOOKS = 3;

/**
 * Ends a group of processes and remembers what it ended. `find` is asked again after each
 * signal: a process may have started another before it died, and the new one is found by the
 * next look until a look finds none (and could judge every process).
 */
export class ProcessReaper {
  private readonly ended = new Map<number, string>();

  constructor(
    private readonly find: () => FoundProcesses,
    /** The process group to signal as well (the base mechanism, and the only one without /proc). */
    private readonly group?: number,
  ) {}

  /** Sends `sig` to every process found and to the group; says what the look found. */
  signal(sig: NodeJS.Signals): { signalled: number; unsure: number } {
    // Found first: signalled first, the group's members would be gone before they were named.
    const { live, unsure } = this.find();
    for (const pid of live.keys()) this.send(pid, sig);
    this.signalGroup(sig);
    return { signalled: live.size, unsure };
  }

  /**
   * SIGKILLs the group and every process found until a look finds none (or `limitMs` passed).
   * A look that found none but saw a process end while it looked is repeated (a few times at
   * most): that process may have left a daemon behind that the look could not list (see
   * `FoundProcesses.unsure`).
   */
  async kill(limitMs = 3000): Promise<void> {
    const until = Date.now() + limitMs;
    for (let round = 0, doubts = 0; Date.now() < until; round++) {
      const { signalled, unsure } = this.signal('SIGKILL');
      if (signalled === 0 && (unsure === 0 || ++doubts > UNSURE_LOOKS)) return;
      await sleep(round < 3 ? 1 : 10);
    }
  }

  /** `kill` for the moment this process exits: no waiting between looks. */
  killNow(rounds = 3): void {
    for (let i = 0; i < rounds && this.signal('SIGKILL').signalled > 0; i++);
  }

  /** SIGKILLs the processes (other than this one) that hold one of `pipes` (see `outputOf`) open. */
  killPipeHolders(pipes: ReadonlySet<string>): number {
    const holders = hasProc() && pipes.size ? pipeHolders(pipes) : [];
    for (const pid of holders) this.send(pid, 'SIGKILL');
    return holders.length;
  }

  /** What was ended, in the order it was signalled. */
  list(): KilledProcess[] {
    return [...this.ended].map(([pid, command]) => ({ pid, command }));
  }

  private send(pid: number, sig: NodeJS.Signals): void {
    // Named before the signal, while its command line can still be read.
    if (!this.ended.has(pid)) this.ended.set(pid, readCommand(pid));
    try {
      process.kill(pid, sig);
    } catch {
      // Gone already.
    }
  }

  private signalGroup(sig: NodeJS.Signals): void {
    if (this.group === undefined) return;
    try {
      process.kill(-this.group, sig);
    } catch {
      // The group is empty.
    }
  }
}
