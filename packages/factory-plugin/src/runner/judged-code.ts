import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  baseCommitOf,
  copyIndexWithout,
  existingTaskWorkspace,
  lockRecordText,
  plainIndexPath,
  STATE_DIRS,
  type EarlyJudgedCode,
} from '@factory/core';

/** What the stage runner learns of a stage's code and actor as it starts. */
export interface StageFacts extends EarlyJudgedCode {
  /** git's `user.email` where the stage runs (undefined: none set, or git could not tell). */
  email: Promise<string | undefined>;
}

/**
 * Starts looking at a stage's code as the runner starts, before it has loaded: where the code is
 * (as core's `taskCodeRoot` says), its tree id (as core's `codeTreeId`) and git's user.email,
 * from one `sh <codeHash> stage …` process (the plugin's bin/code-hash.sh) that starts the git
 * commands they take while the runner loads, with the main tree's index copied here without
 * `.factory` (see docs/benchmarks.md). The task's lock record is read first: core uses what was
 * found only if no other run took or left the lock since. Undefined for a task whose task.yaml
 * cannot be read (the runner then says why, as without this).
 */
export function startStageFacts(codeHash: string, root: string, slug: string): StageFacts | undefined {
  let ws: ReturnType<typeof existingTaskWorkspace>;
  let lockRecord: string | null;
  try {
    lockRecord = lockRecordText(root, slug);
    ws = existingTaskWorkspace(root, slug);
  } catch {
    return undefined;
  }
  let base: string | undefined;
  if (ws) {
    try {
      base = baseCommitOf(readFileSync(path.join(root, '.factory', slug, 'task.yaml'), 'utf8'));
    } catch {
      // read a moment ago by existingTaskWorkspace: gone since
    }
  }
  const scratch = mkdtempSync(path.join(tmpdir(), 'factory-stage-facts-'));
  const mainIndex = plainIndexPath(root);
  if (mainIndex) copyIndexWithout(mainIndex, path.join(scratch, 'main'), STATE_DIRS);
  const settlers = new Map<string, (value: string | undefined) => void>();
  const line = (key: string) => new Promise<string | undefined>((resolve) => settlers.set(key, (v) => resolve(v || undefined)));
  const where = line('root');
  const tree = line('tree');
  const email = line('actor');
  const args = [codeHash, 'stage', slug, ws?.backend ?? '-', ws?.dir ?? '-', base ?? '-', scratch];
  const child = spawn('sh', args, { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] });
  let rest = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const l of lines) {
      const space = l.indexOf(' ');
      if (space > 0) settlers.get(l.slice(0, space))?.(l.slice(space + 1).trim());
    }
  });
  let ended = false;
  const done = () => {
    ended = true;
    rmSync(scratch, { recursive: true, force: true });
    for (const settle of settlers.values()) settle(undefined);
  };
  child.on('error', done).on('close', done);
  // A runner that ends early (an invalid contract, say) leaves nothing behind.
  process.once('exit', () => {
    if (ended) return;
    child.kill();
    rmSync(scratch, { recursive: true, force: true });
  });
  const judged = where.then((dir) => (dir === undefined ? undefined : { root: path.resolve(root, dir), tree }));
  return { lockRecord, judged, email };
}
