import path from 'node:path';
import { FactoryError, formatProblem } from '../domain/errors';
import { readDocumentIfExists } from '../store/atomic';
import { parseConfig } from '../store/config';
import { GLOBAL_FILES } from '../store/paths';
import { parseRolloutConfig, type RolloutConfig } from './config';

/** The `rollout:` section of `.factory/config.yaml` (defaults when absent); throws naming file and field. */
export function loadRolloutConfig(root: string): RolloutConfig {
  const c = parseConfig(readDocumentIfExists(path.join(root, GLOBAL_FILES.config), GLOBAL_FILES.config), GLOBAL_FILES.config);
  if (!c.value) throw new FactoryError('CONFIG', c.errors.map(formatProblem).join('\n'), { file: GLOBAL_FILES.config });
  const r = parseRolloutConfig(c.value.rollout);
  if (!r.value) throw new FactoryError('CONFIG', r.errors.map(formatProblem).join('\n'), { file: GLOBAL_FILES.config, field: 'rollout' });
  return r.value;
}
