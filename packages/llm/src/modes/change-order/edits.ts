import { z } from 'zod';

/**
 * The answer a model gives to a change order: a summary and the edits, each one of
 * - `write`: the whole new content of a file (creates it when absent);
 * - `replace`: replace the one occurrence of `find` in an existing file by `replace`;
 * - `delete`: remove a file.
 * Paths are relative to the task's code root, with forward slashes.
 */
const path = z.string().min(1, 'expected a file path, got an empty string');

export const WriteEditSchema = z.object({ action: z.literal('write'), path, content: z.string() });
export const ReplaceEditSchema = z.object({
  action: z.literal('replace'),
  path,
  find: z.string().min(1, 'expected the exact text to replace, got an empty string'),
  replace: z.string(),
});
export const DeleteEditSchema = z.object({ action: z.literal('delete'), path });

export const EditSchema = z.discriminatedUnion('action', [WriteEditSchema, ReplaceEditSchema, DeleteEditSchema]);
export type Edit = z.infer<typeof EditSchema>;

export const MAX_EDITS = 50;

export const ChangeOrderAnswerSchema = z.object({
  summary: z.string().min(1, 'expected a one-line summary of the change').max(2000),
  edits: z.array(EditSchema).min(1, 'expected at least one edit').max(MAX_EDITS, `expected at most ${MAX_EDITS} edits`),
});
export type ChangeOrderAnswer = z.infer<typeof ChangeOrderAnswerSchema>;

/** How the answer must look, as told to the model. */
export const ANSWER_FORMAT = `Answer with ONE JSON object and nothing else:
{
  "summary": "one line saying what the change does",
  "edits": [
    { "action": "write", "path": "relative/path/to/file.ts", "content": "the whole new content of the file" },
    { "action": "replace", "path": "relative/path/to/other.ts", "find": "exact text that occurs once in the file", "replace": "its replacement" },
    { "action": "delete", "path": "relative/path/to/old.ts" }
  ]
}
Paths are relative to the repository root, with forward slashes. Use "replace" for small changes to
large files; "find" must match the current file exactly, once. Every edit must stay inside the
contract: edits that break it are all refused together and nothing is written.`;
