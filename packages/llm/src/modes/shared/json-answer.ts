import type { z } from 'zod';

/** A model's answer read as JSON and validated, or the reason it could not be (said so the model can fix it). */
export type ParsedAnswer<T> = { ok: true; value: T } | { ok: false; reason: string };

const FENCE = /^```[a-zA-Z]*\s*\n([\s\S]*?)\n?```\s*$/;
const MAX_ISSUES = 8;

/**
 * Reads the JSON object a model was asked for: the whole text, or the inside of one Markdown
 * code fence around it (models add one even in JSON mode). Nothing else is guessed at: text
 * around the object, or two objects, is refused rather than mined for something that parses.
 */
export function parseJsonAnswer<S extends z.ZodType>(text: string, schema: S, what: string): ParsedAnswer<z.infer<S>> {
  const trimmed = text.trim();
  const body = FENCE.exec(trimmed)?.[1] ?? trimmed;
  if (body === '') return { ok: false, reason: `expected ${what} as one JSON object, got an empty answer` };
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (e) {
    return { ok: false, reason: `expected ${what} as one JSON object, got text that is not valid JSON (${(e as Error).message})` };
  }
  const parsed = schema.safeParse(data);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues.slice(0, MAX_ISSUES).map((i) => `${i.path.length ? i.path.join('.') : '(answer)'}: ${i.message}`);
  const more = parsed.error.issues.length - issues.length;
  return { ok: false, reason: `expected ${what}, but ${issues.join('; ')}${more > 0 ? `; and ${more} more` : ''}` };
}
