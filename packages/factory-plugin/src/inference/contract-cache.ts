import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync, type LoadedContract } from '@factory/core';

const CACHE_VERSION = 1;
const MAX_ENTRIES = 5000;

interface CacheFile {
  version: number;
  entries: Record<string, LoadedContract>;
}

/**
 * Parsed contracts keyed by a hash of their inputs (the task's contract text, the global
 * contract text and Factory's version), kept in Nx's workspace data directory between runs.
 * Parsing YAML and validating with zod is the expensive part of inference; a warm cache
 * skips both. Identical contracts share one entry. Only valid contracts are cached.
 */
export class ContractCache {
  private entries: Record<string, LoadedContract> = {};
  private used = new Set<string>();
  private dirty = false;

  constructor(private readonly file: string) {
    try {
      const data = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
      if (data.version === CACHE_VERSION && data.entries) this.entries = data.entries;
    } catch {
      // Absent or unreadable: start empty.
    }
  }

  static key(parts: string[]): string {
    const h = createHash('sha256');
    for (const p of parts) h.update(p).update('\0');
    return h.digest('hex').slice(0, 32);
  }

  get(key: string): LoadedContract | undefined {
    const v = this.entries[key];
    if (v) this.used.add(key);
    return v;
  }

  set(key: string, value: LoadedContract): void {
    this.entries[key] = value;
    this.used.add(key);
    this.dirty = true;
  }

  /** Writes the cache atomically when something was added; drops unused entries once it grows large. */
  save(): void {
    if (!this.dirty) return;
    let entries = this.entries;
    if (Object.keys(entries).length > MAX_ENTRIES) {
      entries = Object.fromEntries(Object.entries(entries).filter(([k]) => this.used.has(k)));
    }
    try {
      writeFileAtomicSync(this.file, JSON.stringify({ version: CACHE_VERSION, entries } satisfies CacheFile));
    } catch {
      // A read-only workspace data directory only costs speed.
    }
    this.dirty = false;
  }
}

export function contractCachePath(dataDir: string): string {
  return path.join(dataDir, 'factory-contracts.json');
}
