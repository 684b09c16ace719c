import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { runGit } from '../repo/git';

/** Pathspecs: the code root, without Factory's own state (task files are hashed as Nx inputs). */
const OWN_CODE = ['--', '.', ':(exclude).factory'];

function hashUntracked(h: ReturnType<typeof createHash>, codeRoot: string, file: string): void {
  const full = path.join(codeRoot, file);
  h.update(`untracked ${file}\0`);
  try {
    const st = lstatSync(full);
    if (st.isSymbolicLink()) h.update(`link ${readlinkSync(full)}\0`);
    else if (st.isFile()) h.update(readFileSync(full));
  } catch {
    h.update('gone\0');
  }
}

/**
 * A hash of the code a task's change consists of, as git sees it under `codeRoot`: the tree
 * checked out (HEAD), every difference between it and the working tree (staged or not), and
 * every untracked, not ignored file's content; `.factory/` left out. Equal fingerprints mean
 * the same files with the same content, so a stage whose answer depends on every changed file
 * (contract, security) may be taken from Nx's cache. Light: git and node only, no zod or YAML.
 */
export async function workingTreeFingerprint(codeRoot: string): Promise<string> {
  const h = createHash('sha256');
  const head = await runGit(['rev-parse', '--verify', '--quiet', 'HEAD^{tree}'], { cwd: codeRoot, allowExitCodes: [1] });
  const tree = head.exitCode === 0 ? head.stdout.trim() : '';
  h.update(`head ${tree}\0`);
  const [tracked, untracked] = await Promise.all([
    tree
      ? runGit(['diff', 'HEAD', '--binary', '--no-color', '--no-ext-diff', '--no-textconv', '--no-renames', ...OWN_CODE], { cwd: codeRoot })
      : runGit(['ls-files', '--stage', '-z', ...OWN_CODE], { cwd: codeRoot }),
    runGit(['ls-files', '--others', '--exclude-standard', '-z', ...OWN_CODE], { cwd: codeRoot }),
  ]);
  h.update(tracked.stdout).update('\0');
  for (const file of untracked.stdout.split('\0').filter(Boolean).sort()) hashUntracked(h, codeRoot, file);
  return h.digest('hex');
}
