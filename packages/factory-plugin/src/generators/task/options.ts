import { z } from 'zod';
import { LANGUAGES } from '@factory/core';

export const TaskGeneratorSchema = z
  .object({
    slug: z.string().meta({
      description: 'The task\'s slug, e.g. "bd-52.1": letters, digits, "-" and ".". It names the Nx project.',
      $default: { $source: 'argv', index: 0 },
      'x-prompt': "What is the task's slug (e.g. bd-52.1)?",
      'x-priority': 'important',
    }),
    title: z.string().optional().meta({ description: 'A one-line title (default: the slug).' }),
    description: z.string().optional().meta({ description: 'What the task is about.' }),
    language: z.enum(LANGUAGES).optional().meta({
      description: 'The language of the code (default: detected from the manifest files in --directory).',
    }),
    directory: z.string().optional().meta({
      description: "Where the task's code lives, relative to the workspace root; stage commands run there (default: the workspace root).",
    }),
    allowedFiles: z.array(z.string()).optional().meta({
      description: 'Globs of the files the task may change, comma-separated (default: everything under --directory).',
    }),
    forbiddenFiles: z.array(z.string()).optional().meta({
      description: "Globs of files the task must not change, comma-separated (added to the global contract's).",
    }),
    maxLinesChanged: z.number().int().min(0).optional().meta({
      description: "Changed lines allowed, lockfiles and generated files not counted (default: the global contract's).",
    }),
    requiredTestCoverage: z.number().min(0).max(100).optional().meta({
      description: "Minimum line coverage in percent (default: the global contract's).",
    }),
    newDependenciesAllowed: z.boolean().optional().meta({
      description: "Whether the task may add dependencies (default: the global contract's).",
    }),
    beads: z.string().optional().meta({
      description:
        "A Beads issue id: title, description and acceptance criteria come from `bd show <id> --json` (or, without bd on PATH, from .beads/issues.jsonl), and the task's status changes are synced to it when bd is present.",
    }),
    baseCommit: z.string().optional().meta({
      description: 'The commit the task starts from (default: the current HEAD).',
    }),
    skipWorkspace: z.boolean().optional().meta({
      description: "Do not create the task's isolated workspace now (create it later with: factory workspace create <slug>).",
    }),
  })
  .strict()
  .meta({
    $id: 'FactoryTask',
    title: 'Create a Factory task',
    description:
      'Creates .factory/<slug>/task.yaml and contract.yaml. The task becomes an Nx project whose pipeline stages are targets (stage-implement, stage-unit-test, ...).',
    examples: [
      { command: 'nx g factory:task bd-52.1 --directory=packages/app', description: 'A task on packages/app' },
      {
        command: 'nx g factory:task bd-52.2 --allowed-files="packages/app/src/**" --max-lines-changed=200',
        description: 'A tighter contract',
      },
    ],
  });
export type TaskGeneratorOptions = z.input<typeof TaskGeneratorSchema>;
