import pLimit from 'p-limit';
import pThrottle from 'p-throttle';

/**
 * Client-side limits, one limiter per provider instance: at most `maxConcurrent` requests in
 * flight (p-limit) and at most `requestsPerMinute` started in any minute (p-throttle, strict
 * mode: no sliding window ever holds more). Streams hold their slot until they end.
 */
export interface RateLimitOptions {
  requestsPerMinute?: number;
  maxConcurrent?: number;
  /** The throttle window; 60 000 ms unless a test shortens it. */
  intervalMs?: number;
}

export interface RateLimiter {
  /**
   * Waits for a concurrency slot, then for a request token. Returns the function that frees
   * the slot (safe to call twice). Rejects with the signal's reason if it is aborted first.
   */
  acquire(signal?: AbortSignal): Promise<() => void>;
  /** Requests holding a slot. */
  readonly active: number;
  /** Requests waiting for a slot. */
  readonly pending: number;
}

export function createRateLimiter(options: RateLimitOptions = {}): RateLimiter {
  const limit = options.maxConcurrent ? pLimit(options.maxConcurrent) : undefined;
  const token = options.requestsPerMinute
    ? pThrottle({ limit: options.requestsPerMinute, interval: options.intervalMs ?? 60_000, strict: true })(async () => undefined)
    : undefined;

  async function acquire(signal?: AbortSignal): Promise<() => void> {
    const release = limit ? await slot(limit, signal) : () => undefined;
    try {
      if (token) await untilAborted(token(), signal);
    } catch (error) {
      release();
      throw error;
    }
    return release;
  }

  return {
    acquire,
    get active() {
      return limit?.activeCount ?? 0;
    },
    get pending() {
      return limit?.pendingCount ?? 0;
    },
  };
}

/**
 * Takes a p-limit slot and keeps it until the returned function is called. If the signal
 * fires while waiting, rejects at once; the slot, when it comes, is handed straight back.
 */
function slot(limit: ReturnType<typeof pLimit>, signal?: AbortSignal): Promise<() => void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let gaveUp = false;
    const onAbort = () => {
      gaveUp = true;
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    void limit(
      () =>
        new Promise<void>((free) => {
          signal?.removeEventListener('abort', onAbort);
          if (gaveUp) {
            free();
            return;
          }
          let freed = false;
          resolve(() => {
            if (!freed) free();
            freed = true;
          });
        }),
    );
  });
}

/** Resolves with the promise, or rejects with the signal's reason if it fires first. */
function untilAborted<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
