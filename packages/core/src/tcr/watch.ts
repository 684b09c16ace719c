import { watch, type FSWatcher } from 'node:fs';
import { jjContentHash } from '../code-hash/jj';
import { codeTreeId } from '../code-hash/tree';
import { requireTaskWorkspace } from '../workspace/task-workspace';
import { runTcrCycle, type TcrRequest } from './cycle';
import { outcomeOk, TCR_EXIT_CODES, type TcrOutcome } from './outcome';

export interface TcrWatchRequest extends TcrRequest {
  /** Quiet time after the last change before a cycle starts (default 400 ms). */
  debounceMs?: number;
  /** Stop after this many cycles in a row without a commit (default: never). */
  maxAttempts?: number;
  onCycle?: (o: TcrOutcome) => void;
}

const VCS_DIR = /^(\.git|\.jj)(\/|\\|$)/;

/**
 * Runs a TCR cycle whenever the workspace's code changes: file events are debounced, and a
 * cycle starts only when the content (tracked and untracked, not ignored) differs from what
 * the last cycle left, so builds writing ignored files and TCR's own reverts start nothing.
 * Ends when `signal` aborts (with the last outcome) or after `maxAttempts` failed cycles in a
 * row (`gave_up`).
 */
export async function watchTcr(req: TcrWatchRequest): Promise<TcrOutcome> {
  const ws = requireTaskWorkspace(req.root, req.slug);
  const out = req.out ?? (() => undefined);
  const debounce = req.debounceMs ?? 400;
  let last: TcrOutcome | undefined;
  const content = () => (ws.backend === 'jj' ? jjContentHash(ws.dir) : codeTreeId(ws.dir)).catch((e: Error) => `error: ${e.message}`);
  let seen = await content();
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let again = false;
  let watcher: FSWatcher | undefined;

  return new Promise<TcrOutcome>((resolve) => {
    const stop = (o?: TcrOutcome) => {
      watcher?.close();
      if (timer) clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
      resolve(
        o ??
          last ?? {
            slug: req.slug,
            result: 'unchanged',
            exitCode: 0,
            message: 'watch stopped before any change',
            durationMs: 0,
            stages: [],
            files: [],
          },
      );
    };
    const onAbort = () => (running ? (again = false) : stop());
    const cycle = async () => {
      const now = await content();
      if (now === seen) return;
      running = true;
      try {
        last = await runTcrCycle(req);
        req.onCycle?.(last);
        seen = await content();
        failures = outcomeOk(last) ? 0 : failures + 1;
      } finally {
        running = false;
      }
      if (req.signal?.aborted) return stop(last);
      if (!outcomeOk(last) && last.result !== 'reverted' && last.result !== 'build_failed') return stop(last);
      if (req.maxAttempts && failures >= req.maxAttempts) {
        return stop({
          ...last,
          result: 'gave_up',
          exitCode: TCR_EXIT_CODES.gave_up,
          message: `gave up after ${failures} cycle(s) in a row without a commit; last: ${last.message}`,
        });
      }
      if (again) {
        again = false;
        schedule();
      }
    };
    const schedule = () => {
      if (running) {
        again = true;
        return;
      }
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void cycle().catch((e: Error) => out(`factory › ${req.slug} › tcr: watch error: ${e.message}\n`)), debounce);
    };
    if (req.signal?.aborted) return stop();
    req.signal?.addEventListener('abort', onAbort);
    watcher = watch(ws.dir, { recursive: true }, (_event, name) => {
      if (name && VCS_DIR.test(String(name))) return;
      schedule();
    });
    out(`factory › ${req.slug} › tcr: watching ${ws.dir} (a cycle runs ${debounce} ms after the last change; Ctrl-C stops)\n`);
  });
}
