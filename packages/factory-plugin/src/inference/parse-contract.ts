import { GLOBAL_FILES, contractFromTexts, formatProblem, parseConfig, parseYaml, type LoadedContract } from '@factory/core';

/** A contract that could not be read or validated: the message, and the stage names it mentions. */
export interface InvalidContract {
  error: string;
  stageNames: string[];
}

/** A valid contract with what inference also needs from `.factory/config.yaml`: its `env`. */
export type InferredContract = LoadedContract & { env?: Record<string, string> };

/**
 * Validates a task's contract against the global one, and `.factory/config.yaml` (texts;
 * undefined = absent). Kept apart from inference so that YAML and zod load only when a
 * contract is not in the cache. A broken config.yaml makes every task's stages fail with its
 * message, since its `env` may matter to each.
 */
export function parseContract(
  globalText: string | undefined,
  text: string,
  file: string,
  configText?: string,
): InferredContract | InvalidContract {
  const config = parseConfig(configText, GLOBAL_FILES.config);
  const v = contractFromTexts({ global: globalText, task: text }, { global: GLOBAL_FILES.contract, task: file });
  const errors = [...config.errors, ...v.errors];
  if (v.value && !errors.length) {
    const env = config.value?.env;
    return env && Object.keys(env).length ? { ...v.value, env } : v.value;
  }
  return { error: errors.map(formatProblem).join('\n'), stageNames: v.value ? v.value.pipeline.map((s) => s.name) : stageNamesOf(text, file) };
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
