import { existsSync } from 'node:fs';
import path from 'node:path';

export interface CliContext {
  /** The Nx workspace root (the directory with nx.json). */
  root: string;
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** The plugin's version (what caches of computed answers are keyed by). */
  version?: string;
}

/** Walks up from `start` to the directory holding nx.json. */
export function findWorkspaceRoot(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    if (existsSync(path.join(dir, 'nx.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** Runs the workspace's own `nx` with an argument array, its output going straight to the terminal. */
export async function runNx(ctx: CliContext, args: string[]): Promise<number> {
  const { execa } = await import('execa');
  const r = await execa('nx', args, {
    cwd: ctx.root,
    preferLocal: true,
    localDir: ctx.root,
    stdio: 'inherit',
    reject: false,
    env: ctx.env,
  });
  return r.exitCode ?? 1;
}

export class UsageError extends Error {}
