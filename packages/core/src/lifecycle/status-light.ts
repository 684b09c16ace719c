import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TaskStatus } from '../domain/task';
import { TRANSITIONS } from './transitions';
import { taskPaths } from '../store/paths';

/**
 * The task's status and reason read from `status.yaml` without a YAML parser (the bundled stage
 * runner must not load one). `status.yaml` is written by `setTaskStatus` as flat `key: value`
 * lines; anything this cannot read is `undefined` (the caller then uses the full loader).
 */
export function readStatusLight(root: string, slug: string): { status: TaskStatus; reason?: string } | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(root, taskPaths(slug).status), 'utf8');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? { status: 'created' } : undefined;
  }
  const m = /^status:\s*([a-z_]+)\s*$/m.exec(text);
  if (!m || !Object.hasOwn(TRANSITIONS, m[1])) return undefined;
  const r = /^reason:\s*(.*)$/m.exec(text);
  return { status: m[1] as TaskStatus, ...(r ? { reason: r[1] } : {}) };
}
