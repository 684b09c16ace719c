import { recordedTaskDetails, recordedTaskView, taskListEntry, type RecordedTaskView } from '@factory/core';
import type { ComputeTask } from './task-cache';
import type { ShownTask } from './commands/show';

/** What the CLI's task cache misses load: core (YAML, zod) computing a task's values. */

/** A task's `factory list` entry. */
export const listEntry: ComputeTask<import('@factory/core').TaskListEntry> = (root, slug, reader) => taskListEntry(root, slug, reader);

/** What `factory show` reads from a task's files (all but the lines changed). */
export const shownTask: ComputeTask<ShownTask> = (root, slug, reader) => {
  const { details, rolloutProblems } = recordedTaskDetails(root, slug, reader);
  return { details, rolloutProblems };
};

/** What `factory report` reads from a task's files (all but the lines changed, the logs and the audit chain). */
export const reportedTask: ComputeTask<RecordedTaskView> = (root, slug, reader) => recordedTaskView(root, slug, reader);
