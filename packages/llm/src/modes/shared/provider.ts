import { FactoryError, GLOBAL_FILES } from '@factory/core';
import { resolveLlmConfig, parseLlmConfig, type ResolvedLlmConfig } from '../../config';
import { createLanguageModel } from '../../create-provider';
import { LlmConfigError } from '../../errors/config-error';
import { LlmMissingApiKeyError } from '../../errors/missing-api-key-error';
import type { FetchFunction, LanguageModel } from '../../provider';
import { Redactor } from '../../redact';
import type { RetryClock } from '../../retry';
import type { Env, Keyring } from '../../secrets';
import type { PriceTable } from '../../usage';
import { NO_LLM_SECTION, readFactoryConfig } from './factory-config';

export { readFactoryConfig } from './factory-config';

/** What every mode needs from the place it runs (executor, generator, stage runner, test). */
export interface ModeEnvironment {
  /** The Nx workspace (repository) root: `.factory/` lives here. */
  root: string;
  /** Environment variables to look the API key up in (`process.env` at the edge). */
  env: Env;
  /** Who started the mode, for the audit trail. */
  actor: string;
  /** A model to use instead of the configured provider (tests: a scripted model). */
  model?: LanguageModel;
  keyring?: Keyring;
  fetch?: FetchFunction;
  clock?: Partial<RetryClock>;
  now?: () => Date;
  /** Progress lines for the terminal. */
  out?: (text: string) => void;
  signal?: AbortSignal;
}

/** The model a mode talks to, or why there is none (then the mode works without one). */
export type ModeProvider =
  | { model: LanguageModel; redactor: Redactor; prices: PriceTable; label: string }
  | { model: undefined; reason: string; redactor: Redactor };

/**
 * Opens the provider configured in `.factory/config.yaml` `llm:`. No `llm:` section, or no API
 * key under the configured name, is not an error: the mode then runs without a model and says
 * why. An invalid `llm:` section is an error (a typo must not silently turn the LLM off).
 */
export async function openModeProvider(me: ModeEnvironment): Promise<ModeProvider> {
  const redactor = new Redactor();
  if (me.model) return { model: me.model, redactor, prices: {}, label: `${me.model.provider}/${me.model.modelId}` };
  const config = readFactoryConfig(me.root);
  if (config.llm === undefined) {
    return { model: undefined, redactor, reason: NO_LLM_SECTION };
  }
  let resolved: ResolvedLlmConfig;
  try {
    resolved = resolveLlmConfig(parseLlmConfig(config.llm));
  } catch (e) {
    if (e instanceof LlmConfigError) {
      throw new FactoryError('CONFIG', e.problems.map((p) => `${GLOBAL_FILES.config}: ${p.field}: ${p.message}`).join('\n'), {
        file: GLOBAL_FILES.config,
        field: e.problems[0]?.field,
      });
    }
    throw e;
  }
  try {
    const model = await createLanguageModel(config.llm, { env: me.env, keyring: me.keyring, fetch: me.fetch, redactor, clock: me.clock });
    return { model, redactor, prices: resolved.prices, label: `${resolved.provider}/${resolved.model}` };
  } catch (e) {
    if (e instanceof LlmMissingApiKeyError) return { model: undefined, redactor, reason: e.message };
    throw e;
  }
}
