import { createRequire } from 'node:module';
import path from 'node:path';

const SAFE = /^[A-Za-z0-9@._+/-]+$/;

/**
 * `node <path>/dist/bin/<name>.cjs` of the installed plugin, relative to the workspace root, as
 * the shell should see it in a target's command. Resolved through the workspace's own
 * node_modules so that it works for the published package and for this repository's
 * symlinked workspace package alike.
 */
export function pluginBinCommand(workspaceRoot: string, name: 'stage-runner' | 'code-hash'): string {
  let rel = 'node_modules/factory';
  try {
    const req = createRequire(path.join(workspaceRoot, 'package.json'));
    rel = path.relative(workspaceRoot, path.dirname(req.resolve('factory/package.json'))).split(path.sep).join('/');
  } catch {
    // Not installed where Nx runs (a bare temporary directory): the conventional location.
  }
  const file = `${rel}/dist/bin/${name}.cjs`;
  return `node ${SAFE.test(file) ? file : `'${file.replace(/'/g, `'\\''`)}'`}`;
}

/** The stage runner's command (see pluginBinCommand). */
export function stageRunnerCommand(workspaceRoot: string): string {
  return pluginBinCommand(workspaceRoot, 'stage-runner');
}
