import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FactoryError } from '../domain/errors';
import { validateSlug } from '../domain/slug';

/**
 * Where a task's run lock lives, and its record read as text: apart from run-lock.ts so that
 * the stage runner's first bundle can read the record without loading the lock's mutex.
 */
export function lockDir(root: string, slug: string): string {
  const v = validateSlug(slug);
  if (!v.ok) throw new FactoryError('SLUG', v.error, { field: 'slug' });
  return path.join(root, '.factory', slug, '.lock');
}

export function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** The task's lock record as it is now, to pass as `unchangedSince` later (null: there is none). */
export function lockRecordText(root: string, slug: string): string | null {
  return readText(path.join(lockDir(root, slug), 'run.json'));
}
