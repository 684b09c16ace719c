import { z } from 'zod';
import { validateSlug, validateStageName } from './slug';

export const SlugSchema = z.string().superRefine((v, ctx) => {
  const r = validateSlug(v);
  if (!r.ok) ctx.addIssue({ code: 'custom', message: r.error, input: v });
});
export type Slug = z.infer<typeof SlugSchema>;

export const StageNameSchema = z.string().superRefine((v, ctx) => {
  const r = validateStageName(v);
  if (!r.ok) ctx.addIssue({ code: 'custom', message: r.error, input: v });
});
