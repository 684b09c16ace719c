import { z } from 'zod';
import { invalid, valid, type Validated } from '../domain/errors';
import { parseWith } from '../domain/zod-problems';
import { parseYaml } from './yaml';

const Section = z.record(z.string(), z.unknown());

/**
 * `.factory/config.yaml`. Sections owned by one module (`llm`, `rollout`, `review`, `change_order`, `tcr`,
 * `audit`, `approval`, `evidence`, `github`) are validated by that module when it is used, so that a problem in
 * one never stops the others.
 */
export const ConfigSchema = z
  .object({
    version: z.literal(1).default(1),
    workspace: z
      .object({
        /** `auto`: jj when the repository is a jj repository and `jj` is on PATH, else git. */
        backend: z.enum(['auto', 'git', 'jj', 'none']).default('auto'),
        /** Where task workspaces live, relative to the root; ignored by git and Nx. */
        directory: z.string().default('.factory/workspaces'),
      })
      .strict()
      .default({ backend: 'auto', directory: '.factory/workspaces' }),
    /** Environment variables added to every stage command (e.g. a PYTHON interpreter). */
    env: z.record(z.string(), z.string()).default({}),
    llm: Section.optional(),
    review: Section.optional(),
    /** LLM change orders (and rescue --apply): attempts, prompt budget, the stages TCR tests with. */
    change_order: Section.optional(),
    tcr: Section.optional(),
    approval: Section.optional(),
    rollout: Section.optional(),
    audit: Section.optional(),
    /** Trusted evidence keys and the approval gate rule (validated by evidence/trust.ts). */
    evidence: Section.optional(),
    /** GitHub: pull requests and check runs (validated by the plugin's surfaces/github/config.ts). */
    github: Section.optional(),
  })
  .strict();
export type FactoryConfig = z.infer<typeof ConfigSchema>;

export const DEFAULT_CONFIG: FactoryConfig = ConfigSchema.parse({});

/** Parses config.yaml text (absent file: the defaults). */
export function parseConfig(text: string | undefined, file: string): Validated<FactoryConfig> {
  if (text === undefined) return valid(DEFAULT_CONFIG);
  const y = parseYaml(text, file);
  if (y.errors.length) return invalid(y.errors);
  const r = parseWith(ConfigSchema, y.data, file);
  return r.value ? valid(r.value) : invalid(r.errors);
}
