import { lstatSync, readdirSync, readFileSync, type BigIntStats } from 'node:fs';
import path from 'node:path';
import { diskReader, FACTORY_DIR, GLOBAL_FILES, writeFileAtomicSync, type FileReader } from '@factory/core';
import { workspaceDataDirectory } from '../runner/workspace-data';

/**
 * `factory list` and `show` without YAML, zod or the rest of core when nothing changed: what
 * each task's files say is kept with what it was made from, and used again only while all of
 * that still holds.
 *
 * - The task's own files (`.factory/<slug>/`, and the JSON files of its `results/`: not the
 *   logs and reports written there, which neither reads) and the global contract and config: size, modification and change times (ns) and inode of each, as `git status` checks
 *   its index. A symbolic link among them: the task is computed every time. As in git, an entry
 *   is not kept while one of its files was changed less than `RACY_MS` before it was read (a
 *   second write within the file system's time granularity could keep the same stamp).
 * - What detection asked of the project's files (through `FileReader`): each answer again.
 *
 * A miss computes the value with core (`compute`, which loads it) and records it.
 */

const CACHE_VERSION = 'factory-task-cache-1';
const RACY_MS = 1000;

/** One answer detection got: `k` kind of path, `r` a file's text (hashed when large), `l` a directory's names. */
type Observation = ['k' | 'r' | 'l', string, string];

interface CachedTask<T> {
  inputs: string;
  observations: Observation[];
  value: T;
}

interface CacheFile<T> {
  version: string;
  tasks: Record<string, CachedTask<T>>;
}

/** Computes a task's value with core, detection reading through the given reader. */
export type ComputeTask<T> = (root: string, slug: string, reader: FileReader) => T;

/** Texts up to this size are kept as they are; larger ones as a hash (node:crypto loads only then). */
const KEEP_TEXT = 16 * 1024;

const hash = (text: string): string => process.getBuiltinModule('node:crypto').createHash('sha256').update(text).digest('hex');

function answer(io: FileReader, op: Observation[0], rel: string): string {
  if (op === 'k') return io.kind(rel) ?? '';
  if (op === 'r') {
    const t = io.read(rel);
    return t === undefined ? '' : t.length <= KEEP_TEXT ? `=${t}` : `#${hash(t)}`;
  }
  return io.list(rel).join('/');
}

/** A reader that notes every answer it gives, so that the answers can be checked again later. */
export function recordingReader(root: string): { reader: FileReader; observations: () => Observation[] } {
  const io = diskReader(root);
  const seen = new Map<string, Observation>();
  const note = (op: Observation[0], rel: string) => {
    seen.set(`${op}\0${rel}`, [op, rel, answer(io, op, rel)]);
  };
  return {
    reader: {
      kind: (rel) => (note('k', rel), io.kind(rel)),
      read: (rel) => (note('r', rel), io.read(rel)),
      list: (rel) => (note('l', rel), io.list(rel)),
    },
    observations: () => [...seen.values()],
  };
}

/**
 * What a task's entry is made of besides detection: a line per file of the task's folder, the
 * JSON files of its results folder and the global files (`text`), and the newest of their times in ms. Undefined
 * when one of them is a symbolic link.
 */
export function taskInputs(root: string, slug: string, version: string): { text: string; newest: number } | undefined {
  const lines = [CACHE_VERSION, version];
  let newest = 0;
  const stamp = (file: string, st: BigIntStats) => {
    newest = Math.max(newest, Number(st.mtimeNs / 1_000_000n), Number(st.ctimeNs / 1_000_000n));
    return `${file}:${st.size}:${st.mtimeNs}:${st.ctimeNs}:${st.ino}`;
  };
  for (const rel of [GLOBAL_FILES.contract, GLOBAL_FILES.config]) {
    const st = lstatSync(path.join(root, rel), { bigint: true, throwIfNoEntry: false });
    if (st?.isSymbolicLink()) return undefined;
    lines.push(st ? stamp(rel, st) : `${rel}:-`);
  }
  const dir = `${FACTORY_DIR}/${slug}`;
  for (const [rel, read] of [
    [dir, (n: string) => n !== 'results'],
    [`${dir}/results`, (n: string) => n.endsWith('.json')],
  ] as const) {
    let names: string[];
    try {
      names = readdirSync(path.join(root, rel)).sort();
    } catch {
      lines.push(`${rel}:-`);
      continue;
    }
    for (const n of names) {
      if (!read(n)) continue;
      const st = lstatSync(path.join(root, rel, n), { bigint: true, throwIfNoEntry: false });
      if (st?.isSymbolicLink()) return undefined;
      if (st) lines.push(stamp(`${rel}/${n}`, st));
    }
  }
  return { text: lines.join('\n'), newest };
}

function stillHolds(root: string, observations: Observation[]): boolean {
  const io = diskReader(root);
  return observations.every(([op, rel, v]) => answer(io, op, rel) === v);
}

/** The cache's file (`name`), in Nx's workspace data directory (beside the parsed-contract cache). */
export function taskCachePath(root: string, env: NodeJS.ProcessEnv, name: string): string {
  return path.join(
    workspaceDataDirectory(root, env, (f) => lstatSync(f, { throwIfNoEntry: false }) !== undefined),
    name,
  );
}

/**
 * Values computed from tasks' files, one per task, kept in `file`. `version` is the plugin's:
 * another version computes every value again. `load` gives the function that computes a value
 * (loading core only then). `now` is the clock the racy-write rule reads.
 */
export class TaskCache<T> {
  private readonly old: Record<string, CachedTask<T>> = {};
  private readonly next: Record<string, CachedTask<T>> = {};
  private readonly asked = new Set<string>();
  private changed = false;
  private compute?: ComputeTask<T>;

  constructor(
    private readonly file: string,
    private readonly version: string,
    private readonly load: () => Promise<ComputeTask<T>>,
    private readonly now: () => number = Date.now,
  ) {
    try {
      const data = JSON.parse(readFileSync(file, 'utf8')) as CacheFile<T>;
      if (data.version === CACHE_VERSION && data.tasks && typeof data.tasks === 'object') this.old = data.tasks;
    } catch {
      // Absent or unreadable: start empty.
    }
  }

  /** The task's value: from the cache while its inputs are unchanged, else computed and recorded. */
  async get(root: string, slug: string): Promise<T> {
    this.asked.add(slug);
    const read = this.now();
    const inputs = taskInputs(root, slug, this.version);
    const hit = Object.hasOwn(this.old, slug) ? this.old[slug] : undefined;
    if (inputs !== undefined && hit && hit.inputs === inputs.text && stillHolds(root, hit.observations)) {
      this.next[slug] = hit;
      return hit.value;
    }
    this.compute ??= await this.load();
    const rec = recordingReader(root);
    const value = this.compute(root, slug, rec.reader);
    this.changed = true;
    // Inputs read again after computing: a file changed meanwhile is seen as changed next time.
    const after = taskInputs(root, slug, this.version);
    if (inputs !== undefined && after?.text === inputs.text && inputs.newest < read - RACY_MS)
      this.next[slug] = { inputs: inputs.text, observations: rec.observations(), value };
    return value;
  }

  /**
   * Writes what was used or computed when something changed. `keepOthers`: the tasks not asked
   * for this time stay (`show` asks for one task; `list` for all, so the others are gone).
   * Returns whether it wrote (or tried to write) the file.
   */
  save(keepOthers: boolean): boolean {
    const tasks = keepOthers
      ? Object.fromEntries(
          Object.entries(this.old)
            .filter(([slug]) => !this.asked.has(slug))
            .concat(Object.entries(this.next)),
        )
      : this.next;
    if (!this.changed && Object.keys(tasks).length === Object.keys(this.old).length) return false;
    try {
      writeFileAtomicSync(this.file, JSON.stringify({ version: CACHE_VERSION, tasks } satisfies CacheFile<T>));
    } catch {
      // A read-only workspace data directory only costs speed.
    }
    return true;
  }
}
