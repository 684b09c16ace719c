import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';

/** The file's text, or undefined when it does not exist. Other errors (permissions) throw. */
export function readTextIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * Writes a file atomically (temporary file + fsync + rename): a crash leaves either the old
 * or the new content, never a half-written file. `durable: false` skips the fsync, for state
 * that means nothing after a machine crash (a run lock: its holders are gone with the machine),
 * where a torn file reads as absent.
 */
export function writeFileAtomicSync(file: string, content: string, opts: { durable?: boolean } = {}): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic.sync(file, content, { encoding: 'utf8', fsync: opts.durable ?? true });
}

export async function writeFileAtomicAsync(file: string, content: string): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, content, { encoding: 'utf8', fsync: true });
}

export function toJson(data: unknown): string {
  return `${JSON.stringify(data, null, 2)}\n`;
}
