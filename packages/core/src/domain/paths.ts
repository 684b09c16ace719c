import { z } from 'zod';

/** A path relative to the repository root that stays inside it. */
export const RelativePathSchema = z.string().superRefine((v, ctx) => {
  const p = v.replace(/\\/g, '/');
  if (p.startsWith('/') || /^[A-Za-z]:\//.test(p)) {
    ctx.addIssue({ code: 'custom', message: `expected a path relative to the repository root, got ${JSON.stringify(v)}`, input: v });
  } else if (p.split('/').includes('..')) {
    ctx.addIssue({ code: 'custom', message: `expected a path inside the repository, got ${JSON.stringify(v)}`, input: v });
  }
});
