import { existsSync } from 'node:fs';
import path from 'node:path';
import { FactoryError, listTaskSlugs, taskPaths } from '@factory/core';

/** A task that exists has a folder with its task.yaml or contract.yaml; otherwise a message naming the ones that do. */
export function requireTask(root: string, slug: string): void {
  const p = taskPaths(slug);
  if (existsSync(path.join(root, p.task)) || existsSync(path.join(root, p.contract))) return;
  const known = listTaskSlugs(root);
  throw new FactoryError(
    'TASK',
    `no task "${slug}": neither ${p.task} nor ${p.contract} exists. ${known.length ? `Tasks here: ${known.join(', ')}` : 'There are no tasks yet; create one with nx g factory:task <slug>'}`,
    { file: p.task },
  );
}
