import { GLOBAL_FILES, contractFromTexts, formatProblem, parseYaml, type LoadedContract } from '@factory/core';

/** A contract that could not be read or validated: the message, and the stage names it mentions. */
export interface InvalidContract {
  error: string;
  stageNames: string[];
}

/**
 * Validates a task's contract against the global one (texts; undefined = absent). Kept apart
 * from inference so that YAML and zod load only when a contract is not in the cache.
 */
export function parseContract(globalText: string | undefined, text: string, file: string): LoadedContract | InvalidContract {
  const v = contractFromTexts({ global: globalText, task: text }, { global: GLOBAL_FILES.contract, task: file });
  if (v.value) return v.value;
  return { error: v.errors.map(formatProblem).join('\n'), stageNames: stageNamesOf(text, file) };
}

/** Best effort: the stage names an invalid contract mentions, so their targets exist and fail clearly. */
function stageNamesOf(text: string, file: string): string[] {
  const { data } = parseYaml(text, file);
  if (!data || typeof data !== 'object') return [];
  const d = data as { pipeline?: unknown; stages?: unknown };
  const names: string[] = [];
  if (Array.isArray(d.pipeline)) {
    for (const s of d.pipeline) if (s && typeof s === 'object' && typeof (s as { name?: unknown }).name === 'string') names.push((s as { name: string }).name);
  }
  if (d.stages && typeof d.stages === 'object') names.push(...Object.keys(d.stages));
  return names.filter((n) => /^[a-z][a-z0-9-]{1,39}$/.test(n));
}
