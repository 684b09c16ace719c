import { z } from 'zod';

/**
 * Stages Factory implements itself instead of running a shell command (see
 * `stage/builtin-stage.ts` for how the runner dispatches them). Only the names live here, so
 * a contract can be validated without loading any of them; each is registered with the
 * stage runner by the bundle that implements it (`factory/dist/bin/stage-builtins.cjs`).
 */
export const BUILTIN_STAGE_NAMES = ['contract', 'security', 'review'] as const;
export const BuiltinStageNameSchema = z.enum(BUILTIN_STAGE_NAMES);
export type BuiltinStageName = z.infer<typeof BuiltinStageNameSchema>;

/** What a built-in stage shows where a shell stage shows its command (never run by a shell). */
export function builtinCommandLabel(name: string): string {
  return `(built in: ${name})`;
}
