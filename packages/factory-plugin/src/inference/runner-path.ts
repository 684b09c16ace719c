import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const SAFE = /^[A-Za-z0-9@._+/-]+$/;
const quoted = (file: string) => (SAFE.test(file) ? file : `'${file.replace(/'/g, `'\\''`)}'`);

/**
 * Where the installed plugin is, relative to the workspace root (forward slashes). The path as
 * the workspace names it (`node_modules/factory`) when it is there, symlinked or not: stage
 * commands are part of their cache keys, so a path through a link's target would differ between
 * checkouts of the same commit. Else resolved through the workspace's node_modules (this
 * repository's own workspace package).
 */
function pluginDir(workspaceRoot: string): string {
  if (existsSync(path.join(workspaceRoot, 'node_modules', 'factory', 'package.json'))) return 'node_modules/factory';
  try {
    const req = createRequire(path.join(workspaceRoot, 'package.json'));
    return path
      .relative(workspaceRoot, path.dirname(req.resolve('factory/package.json')))
      .split(path.sep)
      .join('/');
  } catch {
    return 'node_modules/factory'; // Not installed where Nx runs (a bare temporary directory): the conventional location.
  }
}

/** The commands a task project runs from the installed plugin, relative to the workspace root, as the shell should see them. */
export interface PluginCommands {
  /** `sh <plugin>/bin/stage-runner.sh`: starts the stage runner without Node reading NODE_EXTRA_CA_CERTS (see that script). */
  runner: string;
  /** `node <plugin>/dist/runner/stage-runner.cjs`: the runner for the stage that speaks HTTPS (review). */
  tlsRunner: string;
  /** `sh <plugin>/bin/code-hash.sh`: the judged code's cache input (see code-hash-input.ts). */
  codeHash: string;
}

/** Every command of PluginCommands, from one lookup of where the plugin is installed. */
export function pluginCommands(workspaceRoot: string): PluginCommands {
  const dir = pluginDir(workspaceRoot);
  return {
    runner: `sh ${quoted(`${dir}/bin/stage-runner.sh`)}`,
    tlsRunner: `node ${quoted(`${dir}/dist/runner/stage-runner.cjs`)}`,
    codeHash: `sh ${quoted(`${dir}/bin/code-hash.sh`)}`,
  };
}
