import { z } from 'zod';

export const InitSchema = z
  .object({
    skipIgnore: z.boolean().default(false).meta({
      description: 'Do not add Factory entries to .gitignore and .nxignore.',
    }),
  })
  .strict()
  .meta({
    $id: 'FactoryInit',
    title: 'Set up Factory in this Nx workspace',
    description:
      'Registers the factory plugin in nx.json, writes .factory/config.yaml and the global contract .factory/contract.yaml, and ignores task workspaces and stage results.',
  });
export type InitOptions = z.input<typeof InitSchema>;
