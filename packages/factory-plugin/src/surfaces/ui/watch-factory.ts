import { readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { FACTORY_DIR, validateSlug } from '@factory/core';

export interface FactoryWatcher {
  /** `watch`: fs.watch on each task's folder; `poll`: the folders' files compared on a timer. */
  readonly mode: 'watch' | 'poll';
  close(): void;
}

export interface WatchOptions {
  /** Force polling (fs.watch is the default, polling its fallback). */
  mode?: 'watch' | 'poll';
  pollMs?: number;
  /** Changes are gathered for this long before `onChange` is called. */
  debounceMs?: number;
}

/** The task folders under `.factory/` (workspaces and other non-task folders left out). */
function taskDirs(root: string): string[] {
  try {
    return readdirSync(path.join(root, FACTORY_DIR), { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name !== 'workspaces' && validateSlug(d.name).ok)
      .map((d) => d.name);
  } catch {
    return [];
  }
}

/** A fingerprint of a task's files (names, sizes, modification times) for polling. */
function signature(root: string, slug: string): string {
  const parts: string[] = [];
  for (const dir of [path.join(root, FACTORY_DIR, slug), path.join(root, FACTORY_DIR, slug, 'results')]) {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      continue;
    }
    for (const n of names) {
      const st = statSync(path.join(dir, n), { throwIfNoEntry: false });
      if (st?.isFile()) parts.push(`${n}:${st.size}:${st.mtimeMs}`);
    }
  }
  return parts.join('|');
}

/**
 * Calls `onChange` with the slugs of the tasks whose files changed under `.factory/` (their own
 * folder and its `results/`), never descending into task workspaces (full checkouts). Uses
 * fs.watch; where that fails (no inotify watches left, an unsupported file system) it polls.
 */
export function watchFactory(root: string, onChange: (slugs: string[]) => void, options: WatchOptions = {}): FactoryWatcher {
  const pending = new Set<string>();
  const watchers = new Map<string, FSWatcher>();
  let timer: NodeJS.Timeout | undefined;
  let polling = options.mode === 'poll';
  const changed = (slug: string) => {
    pending.add(slug);
    timer ??= setTimeout(flush, options.debounceMs ?? 100);
  };

  const add = (key: string, dir: string, slug: string | undefined) => {
    if (watchers.has(key) || !statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return;
    const w = watch(dir, { persistent: true }, () => (slug ? changed(slug) : rescan()));
    w.on('error', () => {
      w.close();
      watchers.delete(key);
    });
    watchers.set(key, w);
  };
  /** Watches every task folder and its results folder; a task or results folder made later is added on its first change. */
  function rescan(initial = false): void {
    for (const slug of taskDirs(root)) {
      const dir = path.join(root, FACTORY_DIR, slug);
      if (!initial && !watchers.has(slug)) changed(slug);
      add(slug, dir, slug);
      add(`${slug}/results`, path.join(dir, 'results'), slug);
    }
  }
  function flush(): void {
    timer = undefined;
    if (!polling) rescan();
    const slugs = [...pending].sort();
    pending.clear();
    if (slugs.length) onChange(slugs);
  }

  let interval: NodeJS.Timeout | undefined;
  const startPolling = () => {
    polling = true;
    const known = new Map(taskDirs(root).map((s) => [s, signature(root, s)]));
    interval = setInterval(() => {
      const now = new Set(taskDirs(root));
      for (const s of now) {
        const sig = signature(root, s);
        if (known.get(s) !== sig) {
          known.set(s, sig);
          changed(s);
        }
      }
      for (const s of [...known.keys()]) {
        if (now.has(s)) continue;
        known.delete(s);
        changed(s);
      }
    }, options.pollMs ?? 1000);
  };
  if (!polling) {
    try {
      add('', path.join(root, FACTORY_DIR), undefined);
      rescan(true);
    } catch {
      for (const w of watchers.values()) w.close();
      watchers.clear();
      startPolling();
    }
  } else startPolling();
  return {
    mode: polling ? 'poll' : 'watch',
    close: () => {
      for (const w of watchers.values()) w.close();
      watchers.clear();
      if (interval) clearInterval(interval);
      if (timer) clearTimeout(timer);
    },
  };
}
