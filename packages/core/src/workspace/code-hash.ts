import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { existingTaskWorkspace } from './code-root';
import { digestIndexListing } from './fingerprint-digest';
import { copyIndex } from './index-copy';

/**
 * What a stage's cache key holds about a task's workspace: Nx runs
 * `node …/code-hash.cjs <slug>` as a `runtime` input and hashes what it prints. Synchronous,
 * with git called by argument array through `spawnSync` (no execa, no zod, no YAML), so that
 * the bundled command adds little more than Node's start to a stage's hashing.
 *
 * Prints `none` when the task has no workspace here (the allowed files in the repository are
 * the code then, and they are file inputs of the stage), `git:<sha256>` / `jj:<sha256>` for the
 * content of every file in the workspace (tracked and untracked, not ignored), and
 * `error: <message>` when it cannot tell; the stage itself then fails with the message.
 */

function run(file: string, args: string[], cwd: string, env: Record<string, string> = {}): string {
  const r = spawnSync(file, args, {
    cwd,
    env: {
      ...process.env,
      GIT_DIR: undefined,
      GIT_WORK_TREE: undefined,
      GIT_INDEX_FILE: undefined,
      LC_ALL: 'C',
      GIT_OPTIONAL_LOCKS: '0',
      ...env,
    },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
  if (r.error) throw new Error(`could not run ${file}: ${r.error.message}`);
  if (r.status !== 0)
    throw new Error(`${file} ${args.join(' ')} failed in ${cwd} (exit ${r.status}): ${String(r.stderr).trim().split('\n')[0]}`);
  return r.stdout;
}

/** The same value as `codeFingerprint(dir)`, computed synchronously. */
export function gitFingerprintSync(dir: string): string {
  const tmp = mkdtempSync(path.join(tmpdir(), 'factory-hash-'));
  const index = path.join(tmp, 'index');
  try {
    const real = run('git', ['rev-parse', '--path-format=absolute', '--git-path', 'index'], dir).trim();
    copyIndex(real, index);
    const env = { GIT_INDEX_FILE: index };
    run('git', ['add', '-A', '--', ':/'], dir, env);
    return digestIndexListing(run('git', ['ls-files', '-s', '-z'], dir, env));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** jj: the files jj tracks in the working-copy commit (listing them snapshots the working copy), with their content. */
function jjFingerprintSync(dir: string): string {
  const files = run('jj', ['file', 'list', '-r', '@'], dir).split('\n').filter(Boolean).sort();
  const h = createHash('sha256');
  for (const f of files) {
    h.update(f).update('\0');
    try {
      h.update(
        createHash('sha256')
          .update(readFileSync(path.join(dir, f)))
          .digest('hex'),
      );
    } catch {
      h.update('(unreadable)');
    }
    h.update('\0');
  }
  return h.digest('hex');
}

export function workspaceCodeHash(root: string, slug: string): string {
  try {
    const ws = existingTaskWorkspace(root, slug);
    if (!ws) return 'none';
    return ws.backend === 'jj' ? `jj:${jjFingerprintSync(ws.dir)}` : `git:${gitFingerprintSync(ws.dir)}`;
  } catch (e) {
    return `error: ${(e as Error).message.split('\n')[0]}`;
  }
}
