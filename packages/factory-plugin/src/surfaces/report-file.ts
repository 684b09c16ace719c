import { statSync } from 'node:fs';
import path from 'node:path';
import {
  completeTaskView,
  FactoryError,
  FACTORY_DIR,
  taskPaths,
  workspaceViewOf,
  writeFileAtomicSync,
  type RecordTask,
} from '@factory/core';
import { fileHref } from './html';
import type { LogHref } from './sections/stages';
import { requireTask } from './require-task';
import { renderTaskReport, renderWorkspaceReport } from './task-page';

export { requireTask };

/** Where `factory report` writes by default: beside the task's results (git-ignored), or `.factory/report.html`. */
export function defaultReportFile(root: string, slug?: string): string {
  return path.join(root, slug ? `${taskPaths(slug).results}/report.html` : `${FACTORY_DIR}/report.html`);
}

/** Links from the report file to each stage's log, relative, so they work wherever the tree is. */
function logLinks(root: string, out: string): LogHref {
  return (s) =>
    s.log_file ? fileHref(path.relative(path.dirname(out), path.join(root, s.log_file)).split(path.sep).join('/')) : undefined;
}

export interface ReportOptions {
  /** Without: every task of the workspace. */
  slug?: string;
  /** The file to write, relative to the root (default: `defaultReportFile`). */
  out?: string;
  now?: () => Date;
  /**
   * Each task's recorded view: core's `recordedTaskView` (YAML, zod), or the CLI's task cache
   * of it. The rest of the view (git, logs, the audit chain) is read here every time.
   */
  record: RecordTask;
}

/** Writes one task's report (or every task's, without a slug); returns the file's absolute path. */
export async function writeReport(root: string, options: ReportOptions): Promise<string> {
  const out = path.resolve(root, options.out ?? defaultReportFile(root, options.slug));
  if (statSync(out, { throwIfNoEntry: false })?.isDirectory())
    throw new FactoryError(
      'USAGE',
      `--out: expected a file to write the report to, got the directory ${out}; name a file in it, e.g. --out ${path.join(out, 'report.html')}`,
      { file: out, field: 'out' },
    );
  const links = logLinks(root, out);
  let text: string;
  if (options.slug) {
    requireTask(root, options.slug);
    text = renderTaskReport(await completeTaskView(root, options.slug, await options.record(options.slug), options.now), links);
  } else {
    text = renderWorkspaceReport(await workspaceViewOf(root, options.record, options.now), () => links);
  }
  // A page made again on demand: no fsync.
  writeFileAtomicSync(out, text, { durable: false });
  return out;
}
