import { z } from 'zod';

/** How git reports a file changed between the base commit and now. */
export const ChangeStatusSchema = z.enum(['added', 'modified', 'deleted', 'renamed', 'copied', 'type-changed']);
export type ChangeStatus = z.infer<typeof ChangeStatusSchema>;

/**
 * One changed file of a diff, paths relative to the repository root. `oldPath` is set for
 * renames and copies. `added`/`removed` are line counts; binary files report 0 for both.
 */
export const ChangedFileSchema = z.object({
  path: z.string().min(1),
  oldPath: z.string().min(1).optional(),
  status: ChangeStatusSchema,
  added: z.number().int().min(0),
  removed: z.number().int().min(0),
  binary: z.boolean(),
});
export type ChangedFile = z.infer<typeof ChangedFileSchema>;

/**
 * A dependency manifest's contents at the base commit (`before`) and now (`after`);
 * undefined means the file is absent on that side.
 */
export const ManifestChangeSchema = z.object({
  path: z.string().min(1),
  before: z.string().optional(),
  after: z.string().optional(),
});
export type ManifestChange = z.infer<typeof ManifestChangeSchema>;
