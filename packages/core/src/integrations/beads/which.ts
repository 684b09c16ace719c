import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { BD } from './cli';

type Env = Record<string, string | undefined>;

/** The names to try in one PATH directory: `name`, and on Windows `name` + each PATHEXT extension. */
function candidates(name: string, env: Env, platform: NodeJS.Platform): string[] {
  if (platform !== 'win32') return [name];
  const exts = (env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean);
  return [name, ...exts.map((e) => name + e.toLowerCase()), ...exts.map((e) => name + e)];
}

async function isExecutableFile(file: string, platform: NodeJS.Platform): Promise<boolean> {
  try {
    if (!(await stat(file)).isFile()) return false;
    if (platform !== 'win32') await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The first executable file called `name` in the PATH of `env`, found by looking at the file
 * system (no shell, no `which`). Undefined when there is none.
 */
export async function findOnPath(
  name: string,
  env: Env = process.env,
  platform: NodeJS.Platform = process.platform,
): Promise<string | undefined> {
  const pathVar = env.PATH ?? env.Path ?? env.path ?? '';
  const sep = platform === 'win32' ? ';' : ':';
  for (const dir of pathVar.split(sep)) {
    if (dir === '') continue;
    for (const candidate of candidates(name, env, platform)) {
      const file = path.join(dir, candidate);
      if (await isExecutableFile(file, platform)) return file;
    }
  }
  return undefined;
}

/** Whether the Beads CLI `bd` is on the PATH of `env`. */
export async function isBdAvailable(env: Env = process.env): Promise<boolean> {
  return (await findOnPath(BD, env)) !== undefined;
}
