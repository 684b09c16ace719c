import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { programRunner, type CommandRunner } from '../workspace/command-runner';

/**
 * The content of a jj workspace: the files jj tracks in the working-copy commit (listing them
 * snapshots the working copy) with their content, as a sha256. jj has no `write-tree` of an
 * arbitrary state, so this is the jj counterpart of `workingTreeId` (not the same value).
 */
export async function jjContentHash(dir: string, run: CommandRunner = programRunner): Promise<string> {
  const listed = (await run('jj', ['file', 'list', '-r', '@'], { cwd: dir })).stdout;
  const files = listed
    .split('\n')
    .filter((f) => f && f !== '.factory' && !f.startsWith('.factory/'))
    .sort();
  const h = createHash('sha256');
  for (const f of files) {
    h.update(f).update('\0');
    try {
      h.update(
        createHash('sha256')
          .update(await readFile(path.join(dir, f)))
          .digest('hex'),
      );
    } catch {
      h.update('(unreadable)');
    }
    h.update('\0');
  }
  return h.digest('hex');
}
