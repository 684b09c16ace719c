import path from 'node:path';
import { ValidationError } from '../domain/errors';
import { readDocumentIfExists } from '../store/atomic';
import { parseConfig, type FactoryConfig } from '../store/config';
import { GLOBAL_FILES } from '../store/paths';

/** `.factory/config.yaml` under `root` (the defaults when it is absent); throws naming every problem. */
export function readFactoryConfig(root: string): FactoryConfig {
  const v = parseConfig(readDocumentIfExists(path.join(root, GLOBAL_FILES.config), GLOBAL_FILES.config), GLOBAL_FILES.config);
  if (!v.value) throw new ValidationError(v.errors);
  return v.value;
}
