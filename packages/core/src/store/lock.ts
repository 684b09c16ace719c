import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';

/**
 * How long a lock left by a killed process blocks others: proper-lockfile refreshes a held
 * lock's mtime every `stale / 2`, so a lock older than `stale` belongs to a dead process and is
 * taken over. Waiting retries span more than `stale`, so a crash never makes the next command
 * fail with "lock held".
 */
export const LOCK_STALE_MS = 10_000;
const RETRIES = { retries: 120, minTimeout: 20, maxTimeout: 250, factor: 1.5 };

/**
 * Runs `fn` holding the lock `<lockPath>` (a directory made atomically by proper-lockfile).
 * `target` is the file the lock protects; it is created empty when missing.
 */
export async function withFileLock<T>(target: string, fn: () => Promise<T> | T, lockPath = `${target}.lock`): Promise<T> {
  mkdirSync(path.dirname(target), { recursive: true });
  closeSync(openSync(target, 'a'));
  const release = await lockfile.lock(target, { realpath: false, lockfilePath: lockPath, stale: LOCK_STALE_MS, retries: RETRIES });
  try {
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}

/** Like {@link withFileLock}, for a lock that guards a directory's files (`<dir>/<name>.lock`). */
export async function withDirLock<T>(dir: string, name: string, fn: () => Promise<T> | T): Promise<T> {
  mkdirSync(dir, { recursive: true });
  // proper-lockfile keys its held locks by the target path, so each lock needs a target of its own.
  const release = await lockfile.lock(path.join(dir, name), {
    realpath: false,
    lockfilePath: path.join(dir, `${name}.lock`),
    stale: LOCK_STALE_MS,
    retries: RETRIES,
  });
  try {
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}
