import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';

/**
 * A stage's scratch directory (`$FACTORY_TMP`): one path per workspace, task and stage, emptied
 * before each run (the caller removes it after). The path is the same on every run because tools
 * key their caches on their configuration: a configuration that names a new random directory on
 * each run (jest's `coverageDirectory`, which the standard command points here) makes every run
 * compile from scratch. Two runs of one stage of one task never overlap: both hold the task's
 * run lock, and the path names the workspace.
 *
 * The parent is private to the user (`<tmpdir>/factory-<uid>`: a directory, not a link, owned by
 * the user, closed to others); when it is not (another user made it first, say), the stage gets
 * a new random directory instead, as safe as before and only slower.
 */
export function openScratch(root: string, slug: string, stage: string, base = tmpdir()): string {
  const parent = privateTempDirectory(base);
  if (!parent) return mkdtempSync(path.join(base, `factory-${slug}-${stage}-`));
  const workspace = createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 16);
  const dir = path.join(parent, `${workspace}-${slug}-${stage}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { mode: 0o700 });
  return dir;
}

/**
 * Where Python writes the bytecode of the code a stage runs (`PYTHONPYCACHEPREFIX`): a directory
 * beside the scratch directories, kept between runs, so that compiling and testing add no
 * `__pycache__` folders to the judged tree (a project without a .gitignore for them would
 * otherwise see them as files its change added, against the contract). Python mirrors each
 * source's absolute path under it, so one directory serves every workspace. Bytecode is code:
 * when the private parent cannot be had, the stage's own scratch directory is used (removed
 * after the stage).
 */
export function bytecodeDirectory(scratch: string, base = tmpdir()): string {
  const parent = privateTempDirectory(base);
  const dir = parent ? path.join(parent, 'pycache') : path.join(scratch, 'pycache');
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return path.join(scratch, 'pycache');
  }
  return dir;
}

/**
 * `<base>/factory-<uid>`, made if missing; undefined unless it is the user's alone. What lives
 * there (scratch directories, the stage runner's compile cache) is trusted as the user's own.
 */
export function privateTempDirectory(base = tmpdir()): string | undefined {
  const uid = process.getuid?.();
  const parent = path.join(base, `factory-${uid ?? userInfo().username}`);
  try {
    mkdirSync(parent, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
  }
  const st = lstatSync(parent);
  if (!st.isDirectory()) return undefined;
  if (uid !== undefined && (st.uid !== uid || (st.mode & 0o077) !== 0)) return undefined;
  return parent;
}
