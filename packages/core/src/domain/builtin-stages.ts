import { z } from 'zod';
import { BUILTIN_STAGE_NAMES, builtinCommandLabel, type BuiltinStageName } from './builtin-stage-names';

export { BUILTIN_STAGE_NAMES, builtinCommandLabel, type BuiltinStageName };
export const BuiltinStageNameSchema = z.enum(BUILTIN_STAGE_NAMES);
