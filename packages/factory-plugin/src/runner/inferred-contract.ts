import {
  formatProblem,
  GLOBAL_FILES,
  parseConfig,
  parseContractTexts,
  parseYaml,
  planContract,
  type Contract,
  type LoadedContract,
} from '@factory/core';

/** A contract that could not be read or validated: the message, and the stage names it mentions. */
export interface InvalidContract {
  error: string;
  stageNames: string[];
}

/**
 * A validated contract (what the parsed-contract cache holds: it depends on the texts only) with
 * what inference also needs from `.factory/config.yaml`: its `env`, and the name of the
 * environment variable the LLM's API key is read from (the review stage's answer depends on
 * whether it is set, so the variable is part of that stage's cache key), and whether it has an
 * `llm:` section at all (without one the review stage asks no model: see targets.ts).
 */
export interface InferredContract {
  contract: Contract;
  env?: Record<string, string>;
  llm_key_env?: string;
  llm?: true;
}

/** A contract planned for the project it works on (see `planned`). */
export type PlannedContract = LoadedContract & Omit<InferredContract, 'contract'>;

/**
 * Plans a validated contract for the files under `root` (detection reads the project's files, so
 * this is never cached across runs); an invalid plan (a manifest that cannot be read, stages
 * needing themselves) gives its message like an invalid contract.
 */
export function planned(root: string, c: InferredContract, file: string): PlannedContract | InvalidContract {
  let plan: ReturnType<typeof planContract>;
  try {
    plan = planContract(root, c.contract, file);
  } catch (e) {
    // Never one task's unexpected failure for every task: it becomes that task's error.
    return { error: `${file}: (plan): could not plan the pipeline: ${(e as Error).message}`, stageNames: [] };
  }
  if (!plan.value) {
    const names = [...(c.contract.pipeline ?? []).map((s) => s.name), ...Object.keys(c.contract.stages)];
    return { error: plan.errors.map(formatProblem).join('\n'), stageNames: names };
  }
  return {
    ...plan.value,
    ...(c.env ? { env: c.env } : {}),
    ...(c.llm_key_env ? { llm_key_env: c.llm_key_env } : {}),
    ...(c.llm ? { llm: true as const } : {}),
  };
}

/**
 * Where each provider reads its API key by default (`PROVIDER_DEFAULTS` in `@factory/llm`,
 * which this bundle does not load: it would bring the provider SDKs; a test keeps them equal).
 */
export const DEFAULT_LLM_KEY_ENV: Record<string, string> = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  gemini: 'GEMINI_API_KEY',
};

/** The API key's variable of config.yaml's `llm:` section, if it names a provider that uses one. */
export function llmKeyEnv(llm: unknown): string | undefined {
  if (!llm || typeof llm !== 'object') return undefined;
  const { provider, api_key_name } = llm as { provider?: unknown; api_key_name?: unknown };
  if (typeof api_key_name === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(api_key_name)) return api_key_name;
  return typeof provider === 'string' && Object.hasOwn(DEFAULT_LLM_KEY_ENV, provider) ? DEFAULT_LLM_KEY_ENV[provider] : undefined;
}

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
  const v = parseContractTexts({ global: globalText, task: text }, { global: GLOBAL_FILES.contract, task: file });
  const errors = [...config.errors, ...v.errors];
  if (v.value && !errors.length) {
    const env = config.value?.env;
    const keyEnv = llmKeyEnv(config.value?.llm);
    return {
      contract: v.value,
      ...(env && Object.keys(env).length ? { env } : {}),
      ...(keyEnv ? { llm_key_env: keyEnv } : {}),
      ...(config.value?.llm !== undefined ? { llm: true as const } : {}),
    };
  }
  return {
    error: errors.map(formatProblem).join('\n'),
    stageNames: stageNamesOf(text, file),
  };
}

/** Best effort: the stage names an invalid contract mentions, so their targets exist and fail clearly. */
function stageNamesOf(text: string, file: string): string[] {
  const { data } = parseYaml(text, file);
  if (!data || typeof data !== 'object') return [];
  const d = data as { pipeline?: unknown; stages?: unknown };
  const names: string[] = [];
  if (Array.isArray(d.pipeline)) {
    for (const s of d.pipeline)
      if (s && typeof s === 'object' && typeof (s as { name?: unknown }).name === 'string') names.push((s as { name: string }).name);
  }
  if (d.stages && typeof d.stages === 'object') names.push(...Object.keys(d.stages));
  return names.filter((n) => /^[a-z][a-z0-9-]{1,39}$/.test(n));
}
