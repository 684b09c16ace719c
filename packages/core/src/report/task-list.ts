import type { FileReader } from '../detect/fs';
import { loadRolloutState, type RolloutState } from '../rollout/state';
import { listTaskSlugs, taskReport, type TaskReport } from './task-report';

/** One task as `factory list --json` prints it (version 1; fields are only ever added). */
export interface TaskListEntry {
  slug: string;
  title?: string;
  status?: string;
  language?: string;
  overall_status?: TaskReport['overall_status'];
  stages: { passed: number; failed: number; not_run: number };
  rollout: Pick<RolloutState, 'strategy' | 'percent' | 'phase'> | null;
  problems: string[];
}

/** One task's entry; detection reads the project's files through `reader` (default: the disk). */
export function taskListEntry(root: string, slug: string, reader?: FileReader): TaskListEntry {
  const r = taskReport(root, slug, reader);
  const ro = loadRolloutState(root, slug);
  return listEntryOf(
    r,
    ro.value,
    ro.errors.map((p) => `${p.file}: ${p.field}: ${p.message}`),
  );
}

/**
 * A task's entry from its report and rollout state, as read (pure): also what a task's view is
 * made of (`RecordedTaskView`), so the workspace's page lists its tasks from their views.
 */
export function listEntryOf(
  r: TaskReport,
  rollout: Pick<RolloutState, 'strategy' | 'percent' | 'phase'> | undefined,
  rolloutProblems: readonly string[],
): TaskListEntry {
  const count = (s: string) => r.stages.filter((x) => x.status === s).length;
  return {
    slug: r.slug,
    title: r.title,
    status: r.status,
    language: r.language,
    overall_status: r.overall_status,
    stages: { passed: count('success'), failed: count('failure'), not_run: count('not_run') },
    rollout: rollout ? { strategy: rollout.strategy, percent: rollout.percent, phase: rollout.phase } : null,
    problems: [...r.problems, ...rolloutProblems],
  };
}

/** Every task of the workspace with its status, stage counts and rollout: `factory list`, the dashboard. */
export function listTasks(root: string): TaskListEntry[] {
  return listTaskSlugs(root).map((slug) => taskListEntry(root, slug));
}
