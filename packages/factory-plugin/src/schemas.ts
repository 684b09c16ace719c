import { z } from 'zod';
import { InitSchema } from './generators/init/schema';
import { TaskGeneratorSchema } from './generators/task/schema';
import { TcrExecutorSchema } from './executors/tcr/schema';
import { SpecGeneratorSchema } from './generators/spec/schema';
import { ChangeOrderExecutorSchema } from './executors/change-order/schema';
import { RescueExecutorSchema } from './executors/rescue/schema';
import { ApproveExecutorSchema } from './executors/approve/schema';
import { RolloutExecutorSchema } from './executors/rollout/schema';

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
