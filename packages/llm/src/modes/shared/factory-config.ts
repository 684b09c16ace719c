import path from 'node:path';
import { FactoryError, GLOBAL_FILES, formatProblem, parseConfig, readDocumentIfExists, type FactoryConfig } from '@factory/core';

/** `.factory/config.yaml`, validated; a broken file is an error naming the file and field. */
export function readFactoryConfig(root: string): FactoryConfig {
  const text = readDocumentIfExists(path.join(root, GLOBAL_FILES.config), GLOBAL_FILES.config);
  const parsed = parseConfig(text, GLOBAL_FILES.config);
  if (!parsed.value) throw new FactoryError('CONFIG', parsed.errors.map(formatProblem).join('\n'), { file: GLOBAL_FILES.config });
  return parsed.value;
}

/** Why a mode runs without a model when config.yaml has no `llm:` section. */
export const NO_LLM_SECTION = `no LLM provider is configured (no "llm:" section in ${GLOBAL_FILES.config})`;
