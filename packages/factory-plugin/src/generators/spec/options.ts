import { z } from 'zod';

export const SpecGeneratorSchema = z
  .object({
    slug: z.string().meta({
      description: 'The task\'s slug, e.g. "bd-52.1". A task that does not exist yet is created with the proposed contract.',
      $default: { $source: 'argv', index: 0 },
      'x-prompt': 'Which task is the spec for (its slug)?',
      'x-priority': 'important',
    }),
    description: z.string().trim().min(1, 'expected a description of the change, got an empty one').meta({
      description: 'What the change is about, in your words; the spec is drafted from it.',
      'x-prompt': 'Describe the change:',
      'x-priority': 'important',
    }),
    title: z.string().optional().meta({ description: 'A one-line title (default: drafted, or the first line of the description).' }),
    overwrite: z.boolean().optional().meta({ description: 'Replace an existing spec.md (default: refuse).' }),
  })
  .strict()
  .meta({
    $id: 'FactorySpec',
    title: "Write a task's spec (LLM intake)",
    description:
      'Writes .factory/<slug>/spec.md (problem, requirements, testable acceptance criteria, out of scope) and proposes contract values from the Nx project graph. Drafted by the configured LLM provider, or from a template without one.',
    examples: [{ command: 'nx g factory:spec bd-52.1 --description "Add a farewell function to app"', description: 'Draft a spec' }],
  });
export type SpecGeneratorOptions = z.input<typeof SpecGeneratorSchema>;
