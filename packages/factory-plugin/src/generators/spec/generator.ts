import { existsSync } from 'node:fs';
import os from 'node:os';
import { logger, type Tree } from '@nx/devkit';
import { taskPaths, validateSlug } from '@factory/core';
import { draftSpec } from '@factory/llm';
import { taskGenerator } from '../task/generator';
import { workspaceProjects } from './lib/projects';
import { SpecGeneratorSchema, type SpecGeneratorOptions } from './options';

/**
 * Intake: writes `.factory/<slug>/spec.md` from a description, drafted by the configured LLM
 * provider or from the template without one, and proposes contract values (the allowed files
 * of the Nx projects the change touches). A task that does not exist yet is created with the
 * proposal as its contract; an existing task's contract is never changed (the proposal is
 * printed and written into the spec).
 */
export async function specGenerator(tree: Tree, raw: SpecGeneratorOptions): Promise<void> {
  const parsed = SpecGeneratorSchema.safeParse(raw);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n'));
  const o = parsed.data;
  const slug = validateSlug(o.slug);
  if (!slug.ok) throw new Error(`--slug: ${slug.error}`);
  const paths = taskPaths(slug.value);
  if (tree.exists(paths.spec) && !o.overwrite) throw new Error(`--slug: ${paths.spec} already exists; pass --overwrite to replace it`);
  const exists = tree.exists(paths.contract);

  const result = await draftSpec(
    { root: tree.root, env: process.env, actor: actorName(), out: (t) => logger.info(t.trimEnd()) },
    {
      slug: slug.value,
      description: o.description,
      title: o.title,
      projects: await workspaceProjects(tree),
      record: existsSync(tree.root),
    },
  );
  if (!exists) {
    await taskGenerator(tree, {
      slug: slug.value,
      title: result.draft.title,
      description: o.description,
      ...(result.proposal.allowed_files.length ? { allowedFiles: result.proposal.allowed_files } : {}),
    });
  }
  tree.write(paths.spec, result.spec);
  logger.info(
    result.model
      ? `Spec of ${slug.value} drafted by ${result.model}: ${paths.spec}`
      : `Spec of ${slug.value} written from the template (${result.reason}): ${paths.spec}`,
  );
  const proposal = result.proposal.allowed_files.length ? result.proposal.allowed_files.join(', ') : 'none';
  logger.info(exists ? `Proposed allowed_files (the contract was not changed): ${proposal}` : `The new task's allowed_files: ${proposal}`);
}

function actorName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}

export default specGenerator;
