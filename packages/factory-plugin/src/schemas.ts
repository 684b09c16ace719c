import { z } from 'zod';
import { InitSchema } from './generators/init/options';
import { TaskGeneratorSchema } from './generators/task/options';
import { TcrExecutorSchema } from './executors/tcr/options';
import { SpecGeneratorSchema } from './generators/spec/options';
import { ChangeOrderExecutorSchema } from './executors/change-order/options';
import { RescueExecutorSchema } from './executors/rescue/options';
import { ApproveExecutorSchema } from './executors/approve/options';
import { RolloutExecutorSchema } from './executors/rollout/options';

/** Every zod schema that has a committed schema.json (path relative to `src/`). */
export const SCHEMAS: Record<string, z.ZodType> = {
  'generators/init/schema.json': InitSchema,
  'generators/task/schema.json': TaskGeneratorSchema,
  'executors/tcr/schema.json': TcrExecutorSchema,
  'generators/spec/schema.json': SpecGeneratorSchema,
  'executors/change-order/schema.json': ChangeOrderExecutorSchema,
  'executors/rescue/schema.json': RescueExecutorSchema,
  'executors/approve/schema.json': ApproveExecutorSchema,
  'executors/rollout/schema.json': RolloutExecutorSchema,
};

/** The JSON Schema Nx reads for a generator's or executor's options. */
export function toNxSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _drop, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { $schema: 'https://json-schema.org/schema', ...json };
}
