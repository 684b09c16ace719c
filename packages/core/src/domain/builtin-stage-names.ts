/**
 * Stages Factory implements itself instead of running a shell command (see
 * `stage/builtin-stage.ts` for how the runner dispatches them). Only the names live here, so
 * a contract can be validated without loading any of them. No zod: the stage runner reads them.
 */
export const BUILTIN_STAGE_NAMES = ['contract', 'security', 'review', 'coverage'] as const;
export type BuiltinStageName = (typeof BUILTIN_STAGE_NAMES)[number];

/** What a built-in stage shows where a shell stage shows its command (never run by a shell). */
export function builtinCommandLabel(name: string): string {
  return `(built in: ${name})`;
}
