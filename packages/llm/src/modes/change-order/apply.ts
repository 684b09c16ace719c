import { existsSync, mkdirSync, readFileSync, rmSync, rmdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { FactoryError, writeFileAtomicSync } from '@factory/core';
import type { FileChange } from './vet';

export interface AppliedEdits {
  /** The files written or deleted, relative to the code root. */
  files: string[];
  /** Puts every file back as it was before, removing files and folders the edits created. */
  restore(): void;
}

function contentOf(abs: string): string | undefined {
  return existsSync(abs) ? readFileSync(abs, 'utf8') : undefined;
}

/**
 * Applies vetted file changes in the code root: each file written atomically, deletions last.
 * First checks that every file is still as it was when the edits were vetted (nothing changed
 * it meanwhile); if writing fails half-way, what was written is put back before the error is
 * thrown, so the disk holds all of the change or none of it.
 */
export function applyFileChanges(codeRoot: string, changes: readonly FileChange[]): AppliedEdits {
  for (const c of changes) {
    if (contentOf(path.join(codeRoot, c.path)) !== c.before) {
      throw new FactoryError(
        'CHANGED_MEANWHILE',
        `${c.path} changed on disk after the edits were checked; nothing was written, run the change order again`,
        { file: c.path },
      );
    }
  }
  const done: FileChange[] = [];
  const createdDirs: string[] = [];
  const restore = () => {
    for (const c of [...done].reverse()) {
      const abs = path.join(codeRoot, c.path);
      if (c.before === undefined) rmSync(abs, { force: true });
      else writeFileAtomicSync(abs, c.before);
    }
    for (const dir of [...createdDirs].reverse()) if (existsSync(dir) && readdirSync(dir).length === 0) rmdirSync(dir);
    done.length = 0;
  };
  const ordered = [...changes.filter((c) => c.after !== undefined), ...changes.filter((c) => c.after === undefined)];
  try {
    for (const c of ordered) {
      const abs = path.join(codeRoot, c.path);
      if (c.after === undefined) rmSync(abs);
      else {
        createdDirs.push(...missingDirs(codeRoot, path.dirname(abs)));
        mkdirSync(path.dirname(abs), { recursive: true });
        writeFileAtomicSync(abs, c.after);
      }
      done.push(c);
    }
  } catch (e) {
    restore();
    throw e;
  }
  return { files: changes.map((c) => c.path), restore };
}

/** The folders between `root` and `dir` that do not exist yet, outermost first. */
function missingDirs(root: string, dir: string): string[] {
  const out: string[] = [];
  for (let d = dir; d !== root && d.startsWith(root) && !existsSync(d); d = path.dirname(d)) out.unshift(d);
  return out;
}
