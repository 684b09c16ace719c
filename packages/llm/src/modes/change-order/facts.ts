import { readFileSync } from 'node:fs';
import path from 'node:path';
import { changedFiles, fileAtBase } from '@factory/core';
import { isFactoryState } from '../shared/task-context';
import type { Edit } from './edits';
import { pathProblem } from './paths';
import { inspectPath } from './symlinks';
import type { EditFacts } from './vet';

/**
 * Reads what `vetEdits` needs to know about the disk, touching nothing: for each path an edit
 * names (and whose shape is acceptable), what is there now (without following symlinks) and
 * what was there at the base commit; and the task's change so far.
 */
export async function gatherEditFacts(codeRoot: string, base: string, edits: readonly Edit[]): Promise<EditFacts> {
  const current: EditFacts['current'] = new Map();
  const atBase: EditFacts['atBase'] = new Map();
  for (const p of new Set(edits.map((e) => e.path))) {
    if (pathProblem(p)) continue;
    const disk = inspectPath(codeRoot, p);
    if (disk.kind === 'file') {
      const bytes = readFileSync(path.join(codeRoot, p));
      // A binary file is not text a model can edit: it counts as "not a regular file".
      current.set(p, bytes.includes(0) ? { kind: 'other' } : { ...disk, content: bytes.toString('utf8') });
    } else current.set(p, disk);
    atBase.set(p, disk.symlink ? undefined : await fileAtBase(codeRoot, base, p));
  }
  const existing = (await changedFiles(codeRoot, base)).filter((f) => !isFactoryState(f.path));
  return { current, atBase, existing };
}
