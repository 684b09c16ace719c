import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from '@factory/core';
import type { InferredContract } from './inferred-contract';

const CACHE_VERSION = 1;
const MAX_ENTRIES = 5000;

interface CacheFile {
  version: number;
  entries: Record<string, InferredContract>;
}

/**
 * Parsed contracts keyed by a hash of their inputs (the task's contract text, the global
 * contract and config texts, and the cache's version), kept in Nx's workspace data directory
 * between runs. Parsing YAML and validating with zod is the expensive part of inference; a
 * warm cache skips both. Inference fills it; the stage runner reads its stage from it.
 * Identical contracts share one entry. Only valid contracts are cached.
 */
export class ContractCache {
  private entries: Record<string, InferredContract> = {};
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
    const data = `${parts.join('\0')}\0`;
    // One-shot hashing (Node ≥ 20.12) is several times cheaper for small texts; a thousand contracts are hashed per graph.
    const hex =
      typeof crypto.hash === 'function' ? crypto.hash('sha256', data, 'hex') : crypto.createHash('sha256').update(data).digest('hex');
    return hex.slice(0, 32);
  }

  /** One entry, read without keeping the cache (the stage runner's lookup); undefined when absent or unreadable. */
  static peek(file: string, key: string): InferredContract | undefined {
    const entries = new ContractCache(file).entries;
    return Object.hasOwn(entries, key) ? entries[key] : undefined;
  }

  get(key: string): InferredContract | undefined {
    const v = this.entries[key];
    if (v) this.used.add(key);
    return v;
  }

  set(key: string, value: InferredContract): void {
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

/** The cache's file in Nx's workspace data directory (see workspace-data.ts). */
export function contractCachePath(dataDir: string): string {
  return path.join(dataDir, 'factory-contracts.json');
}
