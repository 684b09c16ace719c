import { createRequire } from 'node:module';
import path from 'node:path';

const SAFE = /^[A-Za-z0-9@._+/-]+$/;
const quoted = (file: string) => (SAFE.test(file) ? file : `'${file.replace(/'/g, `'\\''`)}'`);

/**
 * Where the installed plugin is, relative to the workspace root (forward slashes). Resolved
 * through the workspace's own node_modules so that it works for the published package and for
 * this repository's symlinked workspace package alike.
 */
function pluginDir(workspaceRoot: string): string {
  try {
    const req = createRequire(path.join(workspaceRoot, 'package.json'));
    return path.relative(workspaceRoot, path.dirname(req.resolve('factory/package.json'))).split(path.sep).join('/');
  } catch {
    return 'node_modules/factory'; // Not installed where Nx runs (a bare temporary directory): the conventional location.
  }
}

/** `node <path>/dist/bin/<name>.cjs` of the installed plugin, as the shell should see it in a target's command. */
export function pluginBinCommand(workspaceRoot: string, name: 'stage-runner' | 'code-hash'): string {
  return `node ${quoted(`${pluginDir(workspaceRoot)}/dist/bin/${name}.cjs`)}`;
}

/**
 * The stage runner's command: `sh <path>/bin/stage-runner.sh`, which starts the runner without
 * Node reading NODE_EXTRA_CA_CERTS (see that script). `tls: true` gives plain
 * `node …/stage-runner.cjs`, for the stage that speaks HTTPS (review).
 */
export function stageRunnerCommand(workspaceRoot: string, opts: { tls?: boolean } = {}): string {
  return opts.tls ? pluginBinCommand(workspaceRoot, 'stage-runner') : `sh ${quoted(`${pluginDir(workspaceRoot)}/bin/stage-runner.sh`)}`;
}

/** `sh <path>/bin/worktree-hash.sh`: prints the content hash of a git worktree (see workspace-input.ts). */
export function workspaceHashScript(workspaceRoot: string): string {
  return `sh ${quoted(`${pluginDir(workspaceRoot)}/bin/worktree-hash.sh`)}`;
}
