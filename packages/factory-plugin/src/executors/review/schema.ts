import { z } from 'zod';

export const ReviewExecutorSchema = z
  .object({})
  .strict()
  .meta({
    $id: 'FactoryReview',
    title: 'Review stage',
    description:
      "Reviews the task's diff against its spec and contract with the configured model; findings at or above review.block_at fail it. Without a provider it is skipped (advisory) and says why.",
  });
export type ReviewExecutorOptions = z.input<typeof ReviewExecutorSchema>;
