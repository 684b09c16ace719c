import { existsSync } from 'node:fs';
import path from 'node:path';
import { FactoryError, FACTORY_DIR, listTaskSlugs, taskPaths, taskView, workspaceView, writeFileAtomicSync } from '@factory/core';
import { fileHref } from './html';
import type { LogHref } from './sections/stages';
import { renderTaskReport, renderWorkspaceReport } from './task-page';

/** Where `factory report` writes by default: beside the task's results (git-ignored), or `.factory/report.html`. */
export function defaultReportFile(root: string, slug?: string): string {
  return path.join(root, slug ? `${taskPaths(slug).results}/report.html` : `${FACTORY_DIR}/report.html`);
}

/** Links from the report file to each stage's log, relative, so they work wherever the tree is. */
function logLinks(root: string, out: string): LogHref {
  return (s) =>
    s.log_file ? fileHref(path.relative(path.dirname(out), path.join(root, s.log_file)).split(path.sep).join('/')) : undefined;
}

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

/** Writes one task's report (or every task's, without a slug); returns the file's absolute path. */
export async function writeReport(root: string, options: { slug?: string; out?: string; now?: () => Date }): Promise<string> {
  const out = path.resolve(root, options.out ?? defaultReportFile(root, options.slug));
  const links = logLinks(root, out);
  let text: string;
  if (options.slug) {
    requireTask(root, options.slug);
    text = renderTaskReport(await taskView(root, options.slug, options.now), links);
  } else {
    text = renderWorkspaceReport(await workspaceView(root, options.now), () => links);
  }
  // A page made again on demand: no fsync.
  writeFileAtomicSync(out, text, { durable: false });
  return out;
}
