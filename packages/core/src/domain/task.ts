import { z } from 'zod';
import { SlugSchema } from './slug-schema';

/** The seed's TaskStatus, in snake_case as stored in `status.yaml`. */
export const TASK_STATUSES = [
  'created',
  'ready',
  'in_progress',
  'ready_for_review',
  'review_approved',
  'deploying',
  'deployed_to_staging',
  'deployed_to_production',
  'done',
  'failed',
  'reverted',
] as const;
export const TaskStatusSchema = z.enum(TASK_STATUSES);
export type TaskStatus = z.infer<typeof TaskStatusSchema>;

const Timestamp = z.iso.datetime({ offset: true });

/** Where the task's isolated workspace is (written by Factory when it creates one). */
export const TaskWorkspaceSchema = z
  .object({
    backend: z.enum(['git', 'jj']),
    /** The workspace's directory, relative to the repository root (forward slashes). */
    path: z.string().min(1),
    /** git: the task's branch (`factory/<slug>`). */
    branch: z.string().min(1).optional(),
    /** jj: the workspace's name. */
    name: z.string().min(1).optional(),
    created_at: Timestamp,
  })
  .strict();
export type TaskWorkspace = z.infer<typeof TaskWorkspaceSchema>;

/** `task.yaml`: what the task is. It changes rarely, so it is part of every stage's cache key. */
export const TaskFileSchema = z
  .object({
    slug: SlugSchema,
    title: z.string().min(1),
    description: z.string().default(''),
    created_at: Timestamp,
    /** The commit the task's work starts from; the contract stage diffs against it. */
    base_commit: z
      .string()
      .regex(/^[0-9a-f]{7,64}$/, 'expected a commit id of 7-64 hex digits')
      .optional(),
    beads_id: z.string().min(1).optional(),
    acceptance: z.string().optional(),
    /** The task's isolated workspace, when it has one. */
    workspace: TaskWorkspaceSchema.optional(),
  })
  .strict();
export type TaskFile = z.infer<typeof TaskFileSchema>;

/** `status.yaml`: where the task is in its lifecycle. Changes often; never a cache input. */
export const StatusFileSchema = z
  .object({
    status: TaskStatusSchema,
    /** Why the task failed or was reverted. */
    reason: z.string().optional(),
    updated_at: Timestamp,
    started_at: Timestamp.optional(),
    completed_at: Timestamp.optional(),
  })
  .strict();
export type StatusFile = z.infer<typeof StatusFileSchema>;

/** The seed's Task: definition, contract and lifecycle together. */
export interface Task extends TaskFile {
  status: TaskStatus;
  reason?: string;
  started_at?: string;
  completed_at?: string;
}
